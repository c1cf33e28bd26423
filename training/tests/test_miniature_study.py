"""The miniature's seed study: paired statistics with known values, and one tiny seed of the study end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from hashtagnet.data.corpus import ImageTable
from hashtagnet.miniature import stats, study
from hashtagnet.miniature.datasets import shuffled_labels


def test_the_two_sided_t_p_value_matches_known_values():
    assert stats.t_two_sided_p(1.0, 1) == pytest.approx(0.5, abs=1e-12)  # Cauchy: P(|T| >= 1) = 1/2
    assert stats.t_two_sided_p(2.2621571628, 9) == pytest.approx(0.05, abs=1e-6)  # t(0.975, 9)
    assert stats.t_two_sided_p(2.0, 1000) == pytest.approx(0.0458, abs=2e-4)  # near the normal's 0.0455
    assert stats.t_two_sided_p(0.0, 5) == pytest.approx(1.0)


def test_a_claim_holds_only_when_the_paired_t_test_rejects_no_difference():
    steady = stats.paired_claim([0.6, 0.7, 0.65, 0.62], [0.5, 0.58, 0.56, 0.5])
    assert steady["holds"] and steady["wins"] == 4 and steady["mean_diff"] == pytest.approx(0.1075)
    noisy = stats.paired_claim([0.6, 0.4, 0.7, 0.5], [0.5, 0.55, 0.6, 0.55])
    assert not noisy["holds"] and noisy["p"] > stats.ALPHA
    reverse = stats.paired_claim([0.5, 0.58, 0.56, 0.5], [0.6, 0.7, 0.65, 0.62])
    assert not reverse["holds"] and reverse["reverse_holds"]
    single = stats.paired_claim([0.6], [0.5])
    assert single["t"] is None and not single["holds"]


def test_one_tiny_seed_of_the_study_reports_every_arm_and_claim_as_json_and_markdown(tmp_path):
    torch.set_num_threads(1)
    result = study.study("tiny", [0], tmp_path, "python -m hashtagnet.miniature.study --seeds 1 --tiny", log=lambda line: None)
    written = json.loads((tmp_path / "study.json").read_text())
    assert written["arms"].keys() == {key for _, key in study.ARMS} == result["arms"].keys()
    assert len(written["claims"]) == len(study.CLAIMS) + 1 and not any(c["holds"] for c in written["claims"])
    report = json.loads((tmp_path / "seed-0" / "report.json").read_text())
    assert report["runs"]["scratch_long"]["steps"] == report["sizes"]["pretrain_steps"] + report["sizes"]["transfer_steps"]
    assert report["runs"]["pretrain/sqrt_softmax_shuffled"]["steps"] == report["sizes"]["pretrain_steps"]
    assert not (tmp_path / "seed-0" / "data").exists()
    table = (tmp_path / "study.md").read_text()
    assert "| scratch, pretrain + fine-tune steps (control) |" in table and "Rule: a claim 'a beats b' holds" in table


def test_shuffling_labels_keeps_every_label_set_and_breaks_their_link_to_images():
    labels = [[i % 5] for i in range(200)]
    table = ImageTable(np.zeros((200, 2, 2, 3), np.uint8), labels, [f"c{i}" for i in range(5)], [str(i) for i in range(200)])
    shuffled = shuffled_labels(table, seed=1)
    assert sorted(map(tuple, shuffled.labels)) == sorted(map(tuple, labels))
    assert sum(a == b for a, b in zip(shuffled.labels, labels)) < 80  # about 1/5 by chance
    assert shuffled.images is table.images and shuffled.keys == table.keys
