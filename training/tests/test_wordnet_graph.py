"""WordNet 3.0 display names and hypernym graphs built from Debian's wordnet-base."""

from __future__ import annotations

import json

import pytest

from hashtagnet.data.imagenet import imagenet_class_ids
from hashtagnet.labels import wordnet_graph


def test_the_database_is_wordnet_3_0_because_imagenet_ids_are_3_0_offsets():
    reader = wordnet_graph.load_wordnet()
    assert reader.get_version() == "3.0"
    assert wordnet_graph.synset("n02123045").name() == "tabby.n.01"


def test_when_the_head_lemma_is_short_then_the_longer_lemma_that_extends_it_is_the_display_name():
    assert wordnet_graph.lemma_names("n02123045") == ["tabby", "tabby cat"]
    assert wordnet_graph.display_name("n02123045") == "tabby cat"


def test_when_a_latin_name_follows_then_the_common_name_is_kept():
    assert wordnet_graph.display_name("n01440764") == "tench"


def test_curated_overrides_win_and_are_kept_as_data():
    overrides = json.loads(wordnet_graph.DISPLAY_NAMES.read_text())
    assert overrides["n02012849"] == "crane bird"
    assert wordnet_graph.display_name("n02012849") == "crane bird"
    assert wordnet_graph.display_name("n03126707") == "crane"
    assert wordnet_graph.display_name("n01514668") == "rooster"


def test_every_override_names_a_real_noun_synset():
    for class_id in wordnet_graph.display_name_overrides():
        assert wordnet_graph.synset(class_id).pos() == "n"


def test_a_malformed_id_is_refused():
    with pytest.raises(ValueError):
        wordnet_graph.synset("02123045")


def test_tabby_sits_under_domestic_cat_feline_and_animal():
    above = wordnet_graph.ancestors("n02123045")
    assert {"n02121808", "n02120997", "n00015388", wordnet_graph.ROOT_ID} <= above


def test_the_hierarchy_of_two_classes_holds_both_their_lineages_up_to_entity():
    graph = wordnet_graph.hierarchy_for(["n02123045", "n03126707"])
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert graph["root"] == "n00001740"
    assert nodes["n02123045"]["parents"] == ["n02121808"]
    assert nodes["n00001740"]["parents"] == []
    for node in graph["nodes"]:
        assert all(parent in nodes for parent in node["parents"])
    assert len(nodes) == len(graph["nodes"])


def test_the_imagenet_hierarchy_covers_all_1000_classes_with_sentence_names():
    class_ids = imagenet_class_ids()
    graph = wordnet_graph.hierarchy_for(class_ids)
    ids = {node["id"] for node in graph["nodes"]}
    assert set(class_ids) <= ids
    names = [wordnet_graph.display_name(c) for c in class_ids]
    assert all(name and "," not in name and "_" not in name for name in names)
    assert len(set(names)) >= 998  # sunglass/sunglasses read the same on purpose


def test_parents_are_sorted_so_that_re_exports_give_the_same_manifest():
    graph = wordnet_graph.hierarchy_for(["n02672831", "n02892767"])  # accordion, brassiere: two parents each
    for node in graph["nodes"]:
        assert node["parents"] == sorted(node["parents"])
    assert graph == wordnet_graph.hierarchy_for(["n02672831", "n02892767"])
