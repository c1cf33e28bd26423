"""Vocabularies (target set or top-K) and the coverage report."""

from __future__ import annotations

from collections import Counter

from hashtagnet.labels.hashtags import default_canonicaliser
from hashtagnet.labels.vocab import Coverage, Vocabulary, synset_counts


def test_a_target_vocabulary_keeps_every_synonym_of_its_synsets():
    canon = default_canonicaliser()
    vocab = Vocabulary.from_targets(["n02132136", "n02134084"])
    assert vocab.labels(canon.map_caption("#ursusarctos #icebear #love")) == [0, 1]
    assert vocab.labels(canon.map_caption("#bruin")) == []  # bruin's most frequent sense is the folk-tale bear


def test_top_k_ranks_by_frequency_and_breaks_ties_by_id():
    counts = Counter({"n2": 5, "n1": 5, "n3": 9, "n4": 1})
    assert Vocabulary.top_k(counts, 3).ids == ("n3", "n1", "n2")


def test_coverage_counts_images_with_a_kept_label_and_lists_unmapped_tags():
    canon = default_canonicaliser()
    vocab = Vocabulary.from_targets(["n02132136"])
    coverage = Coverage()
    for caption in ["#brownbear #instagood", "#love #instagood", "#ursusarctos"]:
        mappings = canon.map_caption(caption)
        coverage.add(mappings, vocab.labels(mappings), vocab)
    report = coverage.report()
    assert report["images"] == 3 and report["images_with_kept_label"] == 2
    assert report["coverage"] == round(2 / 3, 4)
    assert report["top_unmapped_tags"][0] == ("instagood", 2)
    assert report["top_out_of_vocabulary"] == [("love->n07543288", 1)]


def test_synset_counts_count_each_synset_once_per_image():
    counts = synset_counts(default_canonicaliser(), [("#brownbear #bruin", []), ("#brownbear", [])])
    assert counts["n02132136"] == 2
