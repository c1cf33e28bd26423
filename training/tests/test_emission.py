"""Sampling factors with a floor: no labelled record is dropped for good, the stream keeps its length, and the
vocabulary pass reports how many records the fit alone would never emit."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from hashtagnet.labels.emission import fit_factors_with_report
from hashtagnet.labels.label_map import LabelMap, RepeatFactors
from hashtagnet.labels.sampling_simulation import simulate


def _broad_case() -> Counter:
    """Class 0 is broad: alone on 500 posts and beside each of 200 rare classes once (the fit drives it to ~0)."""
    sets = Counter({"0": 500})
    for rare in range(1, 201):
        sets[f"0,{rare}"] = 1
        sets[str(rare)] = 1
    return sets


def test_the_fit_alone_never_emits_posts_of_a_broad_class_and_the_floor_emits_them():
    fitted, report = fit_factors_with_report(LabelMap([str(c) for c in range(201)], {}, [0] * 201), _broad_case())
    assert report["never_emitted_without_floor"] == 500 and report["min_repeat_factor_without_floor"] < 1e-6
    assert report["never_emitted"] == 0 and report["min_repeat_factor"] == pytest.approx(0.05)
    repeat = RepeatFactors(fitted, "sqrt")
    assert repeat([0]) == pytest.approx(0.05)
    emitted = sum(n * repeat([int(c) for c in key.split(",")]) for key, n in _broad_case().items())
    assert emitted == pytest.approx(sum(_broad_case().values()), rel=1e-6)  # the floored stream keeps its length


def test_a_label_map_without_a_floor_reads_as_floor_zero(tmp_path):
    path = LabelMap(["a"], {"a": [0]}, [3], [1.0]).save(tmp_path / "m.json")
    assert LabelMap.load(path).floor == 0.0 and RepeatFactors(LabelMap.load(path), "sqrt")([0]) == 1.0


def test_simulated_posts_lose_records_to_the_fit_and_none_with_the_floor():
    result = simulate(posts=20_000, classes=1_700, seed=1)
    print(result)
    assert result["never_emitted_without_floor"] > 0.2 * result["posts"]
    assert result["never_emitted"] == 0 and result["min_repeat_factor"] >= 0.05 - 1e-12


def test_every_simulated_record_is_emitted_in_expectation_within_twenty_passes():
    result = simulate(posts=5_000, classes=500, seed=2, floor=0.05)
    assert result["records"] == 5_000 and np.isclose(result["floor"], 0.05)
    assert result["min_repeat_factor"] * 20 >= 1.0 - 1e-9
