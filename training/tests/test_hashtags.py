"""Hashtag canonicalisation against WordNet 3.0: extraction, normalisation, morphology, splitting, senses."""

from __future__ import annotations

import pytest

from hashtagnet.labels.hashtags import default_canonicaliser, extract_hashtags, normalise_tag


@pytest.fixture(scope="module")
def canon():
    return default_canonicaliser()


def test_hashtags_are_extracted_unicode_aware_and_not_from_words_or_addresses():
    text = "Café time! #Café #猫 ＃fullwidth#joined mail me@x.org and a#b #ok_go #2024"
    assert extract_hashtags(text) == ["Café", "猫", "fullwidth", "ok_go", "2024"]


def test_decomposed_accents_still_extract_as_one_tag():
    assert extract_hashtags("#cre\u0300me") == ["crème"]


def test_normalisation_folds_case_diacritics_and_separators():
    assert normalise_tag("#Crème_Brûlée") == "cremebrulee"
    assert normalise_tag("ＢＲＯＷＮ-Bear") == "brownbear"


def test_brownbear_and_ursusarctos_both_become_n02132136(canon):
    assert canon.map_tag("brownbear").wnid == "n02132136"
    assert canon.map_tag("ursusarctos").wnid == "n02132136"
    assert canon.map_tag("BrownBear").lemma == "brown_bear"


def test_plurals_become_singular_through_wordnet_morphology(canon):
    assert canon.map_tag("PolarBears").wnid == "n02134084"
    assert canon.map_tag("geese").lemma == "goose"
    assert canon.map_tag("mountainbikes").lemma == "mountain_bike"


def test_a_tag_that_is_already_a_lemma_is_not_split(canon):
    assert canon.map_tag("oxcart").pieces == ("oxcart",)


def test_run_together_words_split_into_lemmas_and_keep_the_head_noun(canon):
    mapping = canon.map_tag("happydog")
    assert mapping.pieces == ("happy", "dog") and mapping.lemma == "dog"


def test_tags_that_are_not_words_stay_unmapped(canon):
    for tag in ("instagood", "photooftheday", "tbt", "猫"):
        assert canon.map_tag(tag).wnid is None, tag


def test_the_most_frequent_noun_sense_is_chosen(canon):
    assert canon.map_tag("fig").wnid == "n06999647"  # WordNet's first sense of "fig" is a figure, not the fruit


def test_synonyms_in_one_caption_merge_into_one_synset(canon):
    mappings = canon.map_caption("#tabbycat #Tabby #love", ["tabby_cat"])
    assert [m.wnid for m in mappings] == ["n02123045", "n02123045", "n07543288"]
