"""Frequency resampling weights and the resumable batch stream."""

from __future__ import annotations

import numpy as np
import pytest

from hashtagnet.train.sampling import BatchSampler, drawn_shares, image_weights

LABELS = [[0]] * 100 + [[1]] * 25 + [[2]] * 4


def _class_mass(mode: str) -> np.ndarray:
    weights = image_weights(LABELS, 3, mode)
    mass = np.array([weights[:100].sum(), weights[100:125].sum(), weights[125:].sum()])
    return mass / mass.sum()


@pytest.mark.parametrize("mode, expected", [("natural", [100, 25, 4]), ("sqrt", [10, 5, 2]), ("uniform", [1, 1, 1])])
def test_class_draw_probability_follows_the_sampling_mode(mode, expected):
    np.testing.assert_allclose(_class_mass(mode), np.array(expected) / sum(expected), rtol=1e-12)


def test_square_root_is_what_the_sampler_actually_draws():
    sampler = BatchSampler(image_weights(LABELS, 3, "sqrt"), 4000, seed=1)
    rows = sampler.next_batch().numpy()
    share = np.bincount(np.select([rows < 100, rows < 125], [0, 1], 2), minlength=3) / len(rows)
    np.testing.assert_allclose(share, [10 / 17, 5 / 17, 2 / 17], atol=0.03)


def test_a_restored_sampler_continues_the_same_stream():
    first = BatchSampler(np.ones(50), 8, seed=3)
    first.next_batch()
    saved = first.state_dict()
    expected = [first.next_batch() for _ in range(3)]
    second = BatchSampler(np.ones(50), 8, seed=99)
    second.load_state_dict(saved)
    assert all((a == b).all() for a, b in zip(expected, [second.next_batch() for _ in range(3)]))


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        image_weights(LABELS, 3, "log")


CO_OCCURRING = [[0]] * 96 + [[0, 1]] * 4 + [[2]] * 25  # tag 1 is rare and always comes with the common tag 0


def test_a_rare_tag_that_always_comes_with_a_common_one_is_drawn_at_its_square_root_share():
    weights = image_weights(CO_OCCURRING, 3, "sqrt")
    np.testing.assert_allclose(drawn_shares(CO_OCCURRING, weights, 3), np.array([10, 2, 5]) / 17, rtol=1e-3)


def test_the_naive_mean_of_inverse_square_roots_misses_that_share():
    naive = np.array([np.mean([1 / np.sqrt([100, 4, 25][c]) for c in ls]) for ls in CO_OCCURRING])
    assert drawn_shares(CO_OCCURRING, naive, 3)[1] < 0.8 * 2 / 17


def test_natural_sampling_keeps_every_image_equally_likely_with_multiple_labels():
    weights = image_weights(CO_OCCURRING, 3, "natural")
    np.testing.assert_allclose(weights, weights[0])
