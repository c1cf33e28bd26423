"""The kind head's training pieces: package-grouped folds, the logistic fit, and the shipped decision rule."""

import numpy as np

from hashtagnet.heads.kind_data import KINDS, group_folds
from hashtagnet.heads.kind_fit import fit
from hashtagnet.heads.kind_heldout import shipped_decision


def test_folds_keep_each_package_whole_and_use_every_fold():
    groups = ["a"] * 7 + ["b"] * 5 + ["c"] * 4 + ["d"] * 3 + ["e"] * 2
    fold = group_folds(groups, 3, seed=0)
    for g in set(groups):
        assert len({int(f) for f, h in zip(fold, groups) if h == g}) == 1
    assert set(fold.tolist()) == {0, 1, 2}


def test_fit_separates_two_kinds_and_l2_towards_a_prior_keeps_it():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-1, 0.3, (40, 3)), rng.normal(1, 0.3, (40, 3))]).astype(np.float32)
    y = np.array([0] * 40 + [4] * 40)
    head = fit(x, y, KINDS, l2=0.01)
    assert (head.probabilities(x).argmax(axis=1) == y).mean() == 1.0
    anchored = fit(x[:5], y[:5], KINDS, l2=1e6, prior=head)
    assert np.abs(anchored.weight - head.weight).max() < 1e-3


def test_shipped_decision_follows_the_gates_and_only_past_the_bar():
    gates = [{"from": "photo", "to": "drawing", "bar": 0.8}, {"from": "drawing", "to": "photo", "bar": 0.8},
             {"from": "screenshot", "to": "chart", "bar": 0.8}]
    table = {"weight": np.zeros((8, 2)).tolist(), "bias": [0, 0, 0, 0, 3, 0, 0, 0], "gates": gates}
    logp = np.zeros((3, 2))
    assert shipped_decision(table, logp, ["photo", "chart", "drawing"]) == ["drawing", "chart", "drawing"]
    table["bias"] = [0, 0, 0, 0, 1.2, -9, -9, -9]  # drawing's share e^1.2 / (e^1.2 + 1) = 0.77: below the bar
    assert shipped_decision(table, logp, ["photo"]) == ["photo"]
    table["bias"] = [0, 0, 0, 3, 0, 0, 0, 0]  # chart: a screenshot becomes one, a document (no gate) stays
    assert shipped_decision(table, np.zeros((2, 2)), ["screenshot", "document"]) == ["chart", "document"]


def test_a_recipe_learns_only_from_its_allowed_images():
    from hashtagnet.heads.kind_cv import cross_validate

    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-1, 0.3, (30, 2)), rng.normal(1, 0.3, (30, 2))]).astype(np.float32)
    fine = ["photo"] * 30 + ["drawing"] * 30
    data = {"fine": fine, "group": [f"p{n % 10}" for n in range(60)], "logp": x}
    everything = cross_validate(data, "logp", 0.01, 8.0, None, 5, 1, np.ones(60, bool))
    assert (everything.argmax(axis=1) == np.array([KINDS.index(k) for k in fine])).mean() > 0.9
    drawings_unseen = cross_validate(data, "logp", 0.01, 8.0, None, 5, 1, np.array([k == "photo" for k in fine]))
    assert (drawings_unseen.argmax(axis=1) == KINDS.index("drawing")).sum() == 0


def test_photo_and_drawing_gates_take_a_bar_each_way():
    from hashtagnet.heads.kind_gates import gated, gates_of

    gates = gates_of("pd+sc", 0.8, 0.87, 0.8)
    assert gates == [("photo", "drawing", 0.87), ("drawing", "photo", 0.8), ("screenshot", "chart", 0.8)]
    assert gates_of("pd", 0.8, 0.9) == [("photo", "drawing", 0.9), ("drawing", "photo", 0.9)]
    api = np.array([[0.15, 0, 0, 0, 0.85], [0.85, 0, 0, 0, 0.15]])  # photo and drawing shares 0.15/0.85 and back
    assert gated(api, ["photo", "drawing"], gates) == ["photo", "photo"]
