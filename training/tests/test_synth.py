"""Synthetic hashtag data: real WordNet concepts, tags recoverable by canonicalisation, controllable noise, Zipf."""

from __future__ import annotations

import numpy as np
import pytest

from hashtagnet.data.synth import build_concepts, captions_for, render_source_images, zipf_probabilities
from hashtagnet.data.synth_images import render
from hashtagnet.labels.hashtags import default_canonicaliser
from hashtagnet.labels.wordnet_graph import synset as synset_of


@pytest.fixture(scope="module")
def drawn():
    source = build_concepts("source")
    rng = np.random.default_rng(0)
    return [source[i] for i in rng.choice(len(source), size=2000)]


def _recovered(drawn, noise: float) -> float:
    canon = default_canonicaliser()
    captions = captions_for(drawn, noise=noise, seed=1)
    return float(np.mean([any(m.wnid == c.wnid for m in canon.map_caption(t)) for c, t in zip(drawn, captions)]))


def test_concepts_are_real_noun_synsets_and_the_target_task_is_disjoint():
    source, target = build_concepts("source"), build_concepts("target")
    for concept in source + target:
        names = [n.lower() for n in synset_of(concept.wnid).lemma_names()]
        assert synset_of(concept.wnid).pos() == "n" and concept.lemma in names
    assert not {c.wnid for c in source} & {c.wnid for c in target}
    assert len({(c.signature.shape, c.signature.texture, c.signature.sky) for c in source + target}) == len(source + target)


def test_clean_captions_map_back_to_their_concept(drawn):
    # the misses are honest most-frequent-sense losses: #scooter, #bruin and #ounce mean something else first
    assert _recovered(drawn, 0.0) >= 0.95


def test_tag_noise_removes_the_true_tag_at_the_requested_rate(drawn):
    assert _recovered(drawn, 0.25) == pytest.approx(0.75 * _recovered(drawn, 0.0), abs=0.03)


def test_captions_carry_irrelevant_tags_and_synonym_spellings(drawn):
    captions = " ".join(captions_for(drawn[:400], noise=0.0, seed=2))
    assert "#instagood" in captions or "#love" in captions
    assert "#ursusarctos" in captions.lower() or "#bruin" in captions.lower()


def test_concept_frequencies_follow_zipf():
    probs = np.sort(zipf_probabilities(24, 1.0, np.random.default_rng(0)))[::-1]
    np.testing.assert_allclose(probs[0] / probs, np.arange(1, 25), rtol=1e-9)


def test_images_are_seeded_and_vary_within_a_class():
    concept = build_concepts("target")[0]
    a = render(concept.signature, np.random.default_rng(5), 32)
    assert np.array_equal(a, render(concept.signature, np.random.default_rng(5), 32))
    assert not np.array_equal(a, render(concept.signature, np.random.default_rng(6), 32))
    drawn, images = render_source_images(30, size=32, seed=0)
    assert images.shape == (30, 32, 32, 3) and images.dtype == np.uint8 and len(drawn) == 30
