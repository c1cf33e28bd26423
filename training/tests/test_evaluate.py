"""Evaluation on WordNet classes and temperature calibration."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from hashtagnet.labels.hedging import hedge_label
from hashtagnet.train.evaluate import class_hierarchy, depth_accuracy, hedging_curve, topk_accuracy
from hashtagnet.train.transfer import calibrate_temperature

LION, TABBY, AMBULANCE = "n02129165", "n02123045", "n02701002"
FELINE = "n02120997"  # feline.n.01, the deepest ancestor lion and tabby share


def test_topk_counts_a_hit_when_the_label_is_among_the_k_best():
    logits = torch.tensor([[3.0, 2.0, 1.0], [1.0, 3.0, 2.0]])
    assert topk_accuracy(logits, np.array([0, 2]), ks=(1, 2)) == {"top1": 0.5, "top2": 1.0}


def test_confusing_two_cats_is_right_at_shallow_depths_and_wrong_at_the_leaf():
    by_depth = depth_accuracy([LION], [TABBY])
    assert by_depth[0] == 1.0 and by_depth[max(by_depth)] == 0.0
    assert depth_accuracy([AMBULANCE], [TABBY])[4] == 0.0  # object.n.01 splits into whole (living) vs artifact


def test_hedging_backs_off_to_the_shared_ancestor_when_unsure():
    hierarchy = class_hierarchy([LION, TABBY, AMBULANCE])
    probs = np.array([0.5, 0.45, 0.05])
    assert hedge_label(hierarchy, probs, 0.4).id == LION
    assert hedge_label(hierarchy, probs, 0.9).id == FELINE


def test_the_hedging_curve_trades_specificity_for_accuracy():
    classes = [LION, TABBY, AMBULANCE]
    probs = np.array([[0.5, 0.45, 0.05], [0.9, 0.05, 0.05]])
    # 0.85, not 0.9: probabilities are float32 as a model outputs them, and float32(0.9) < 0.9 (the server's rule too)
    curve = hedging_curve(probs, classes, [TABBY, LION], thresholds=(0.0, 0.85))
    assert curve[0]["accuracy"] == 0.5 and curve[0]["specificity"] == 1.0
    assert curve[1] == {"threshold": 0.85, "accuracy": 1.0, "specificity": round((1 + 1 - np.log(2) / np.log(3)) / 2, 4)}


def test_calibration_recovers_the_temperature_that_generated_the_labels():
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(6000, 10, generator=generator) * 4
    labels = torch.multinomial(torch.softmax(logits / 2.5, dim=1), 1, generator=generator).squeeze(1).numpy()
    assert calibrate_temperature(logits, labels) == pytest.approx(2.5, rel=0.08)
