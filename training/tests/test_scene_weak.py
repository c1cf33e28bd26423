"""The scene head's weak labels and threshold rule: file names to concepts through WordNet 3.0, crops, the bar."""

from __future__ import annotations

import random

import numpy as np
import pytest

from hashtagnet.heads.scene_fit import choose
from hashtagnet.heads.scene_views import crops
from hashtagnet.heads.scene_weak import WORDNET, concepts_of, read_wordnet

pytestmark = pytest.mark.skipif(not (WORDNET / "data.noun").exists(), reason="WordNet 3.0 (wordnet-base) not installed")


@pytest.fixture(scope="module")
def wordnet():
    return read_wordnet()


@pytest.mark.parametrize(("stem", "token", "concepts"), [
    ("fields10-sfiera", "field", ["field", "landscape"]),  # a plural by its singular, not W. C. Fields
    ("sea3", "sea", ["water", "landscape"]),
    ("water10-harro", "water", ["water", "landscape"]),  # H2O first, a body of water second: both count
    ("valley2", "valley", ["mountain", "landscape"]),  # a geological formation
    ("plum", "plum", ["fruit"]),  # the tree first, the fruit second
    ("city12", "city", []),  # a noun under no concept: a negative
    ("eiffelTower", "eiffel", []),
    ("bwerner3", "", []),  # a photographer's name: no noun, left out
])
def test_names_map_to_concepts(wordnet, stem, token, concepts):
    assert concepts_of(stem, *wordnet) == (token, concepts)


def test_crops_keep_the_image_first_and_stay_inside_it():
    rgb = np.zeros((300, 400, 3), np.uint8)
    views = crops(rgb, 3, random.Random(0))
    assert views[0] is rgb and len(views) == 4
    for view in views[1:]:
        h, w = view.shape[:2]
        assert 0.3 * 300 * 400 <= h * w <= 300 * 400 and h <= 300 and w <= 400


def test_a_threshold_needs_precision_and_three_right():
    truth = np.array([True, True, True, False, True])
    assert choose(np.array([0.95, 0.85, 0.75, 0.55, 0.1]), truth)["at"] == 0.6  # 3/3 from 0.6, 3/4 at 0.5
    assert choose(np.array([0.95, 0.85, 0.1, 0.9, 0.1]), truth) is None  # 2 right at most
