"""Photo tags to the concepts that serve: the sense table (#kitty is a cat, not a pool of money), social affixes
stripped (#catsofinstagram), abstract senses dropped (#travel), and broad tags kept as broad concepts above the
ImageNet classes instead of being dropped."""

from __future__ import annotations

from collections import Counter

import pytest

from hashtagnet.data.imagenet import imagenet_class_ids
from hashtagnet.labels.admission import build_label_map
from hashtagnet.labels.hashtags import default_canonicaliser

# Common photo tags and the synset (WordNet 3.0 name) each must mean.
COMMON_TAGS = {
    "kitty": "cat.n.01", "cat": "cat.n.01", "cats": "cat.n.01", "kitten": "kitten.n.01", "catsofinstagram": "cat.n.01",
    "dog": "dog.n.01", "doggo": "dog.n.01", "pup": "puppy.n.01", "puppies": "puppy.n.01",
    "dogsofinstagram": "dog.n.01", "mydog": "dog.n.01", "car": "car.n.01", "bird": "bird.n.01",
    "flower": "flower.n.01", "flowers": "flower.n.01", "coffee": "coffee.n.01", "coffeetime": "coffee.n.01",
    "beach": "beach.n.01", "beachlife": "beach.n.01", "sunset": "sunset.n.02", "bike": "bicycle.n.01",
    "burger": "hamburger.n.01", "cake": "cake.n.03", "mountains": "mountain.n.01", "pizza": "pizza.n.01",
    "tabbycat": "tabby.n.01", "brownbear": "brown_bear.n.01", "person": "person.n.01", "naturephotography": "nature.n.03",
}


@pytest.fixture(scope="module")
def canon():
    return default_canonicaliser(photo=True)


@pytest.mark.parametrize("tag,expected", sorted(COMMON_TAGS.items()))
def test_a_common_photo_tag_means_its_photo_sense(canon, tag, expected):
    mapping = canon.map_tag(tag)
    assert mapping.visual and canon.wn.synset(expected).name() == _name(canon, mapping.wnid), mapping


def _name(canon, wnid: str) -> str:
    return canon.wn.synset_from_pos_and_offset("n", int(wnid[1:])).name()


def test_abstract_tags_are_not_concepts(canon):
    for tag in ("travel", "travelgram", "instagood"):
        mapping = canon.map_tag(tag)
        assert not mapping.visual or mapping.wnid is None, mapping


def test_broad_tags_stay_broad_concepts_beside_the_imagenet_classes(canon):
    counts = Counter({"cat": 50, "kitty": 10, "tabby": 5, "dog": 40, "coffee": 20, "espresso": 3, "travel": 30,
                      "portrait": 9, "love": 100})
    label_map, report = build_label_map(counts, canon, targets=imagenet_class_ids())
    names = {t: _name(canon, label_map.classes[label_map.tags[t][0]]) for t in label_map.tags}
    assert names["cat"] == names["kitty"] == "cat.n.01" and names["tabby"] == "tabby.n.01"
    assert names["dog"] == "dog.n.01" and names["coffee"] == "coffee.n.01" and names["espresso"] == "espresso.n.01"
    assert {"travel", "portrait", "love"}.isdisjoint(label_map.tags)
    assert {row[0] for row in report["review"]} == set(counts)  # every tag is printed for review, kept or not
