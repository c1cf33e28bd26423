"""The label vocabulary: a target label set's synsets or the K most frequent, and the coverage it gives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .hashtags import Canonicaliser, Mapping


@dataclass(frozen=True)
class Vocabulary:
    """Ordered synset ids kept as labels; synonyms are already merged because tags map to synsets."""

    ids: tuple[str, ...]

    @classmethod
    def from_targets(cls, wnids: list[str]) -> "Vocabulary":
        """A vocabulary from a target label set (e.g. ImageNet-1k's synsets); every synonym of each maps in."""
        return cls(tuple(dict.fromkeys(wnids)))

    @classmethod
    def top_k(cls, synset_counts: Counter, k: int) -> "Vocabulary":
        """The k most frequent synsets (ties broken by id, so the result is deterministic)."""
        ranked = sorted(synset_counts.items(), key=lambda item: (-item[1], item[0]))
        return cls(tuple(wnid for wnid, _ in ranked[:k]))

    def index(self) -> dict[str, int]:
        """Synset id -> class index."""
        return {wnid: i for i, wnid in enumerate(self.ids)}

    def labels(self, mappings: list[Mapping]) -> list[int]:
        """Class indices of the mapped tags that the vocabulary keeps, without repeats, in tag order."""
        index = self.index()
        return list(dict.fromkeys(index[m.wnid] for m in mappings if m.wnid in index))


@dataclass
class Coverage:
    """How well hashtags map: share of images with a kept label, and the most frequent misses."""

    images: int = 0
    images_labelled: int = 0
    tags: int = 0
    tags_mapped: int = 0
    tags_kept: int = 0
    unmapped: Counter = field(default_factory=Counter)
    out_of_vocabulary: Counter = field(default_factory=Counter)

    def add(self, mappings: list[Mapping], kept: list[int], vocab: Vocabulary) -> None:
        """Count one image's tags."""
        self.images += 1
        self.images_labelled += bool(kept)
        keep = set(vocab.ids)
        for mapping in mappings:
            self.tags += 1
            if mapping.wnid is None:
                self.unmapped[mapping.tag] += 1
                continue
            self.tags_mapped += 1
            if mapping.wnid in keep:
                self.tags_kept += 1
            else:
                self.out_of_vocabulary[f"{mapping.tag}->{mapping.wnid}"] += 1

    def report(self, top: int = 10) -> dict:
        """JSON-ready summary: coverage = images with at least one kept label / images."""
        share = lambda a, b: round(a / b, 4) if b else 0.0  # noqa: E731
        return {
            "images": self.images,
            "images_with_kept_label": self.images_labelled,
            "coverage": share(self.images_labelled, self.images),
            "tags": self.tags,
            "tags_mapped_to_synset": share(self.tags_mapped, self.tags),
            "tags_kept_in_vocabulary": share(self.tags_kept, self.tags),
            "top_unmapped_tags": self.unmapped.most_common(top),
            "top_out_of_vocabulary": self.out_of_vocabulary.most_common(top),
        }


def synset_counts(canon: Canonicaliser, captions: list[tuple[str, list[str]]]) -> Counter:
    """Images per synset (each synset counted once per image), for a top-K vocabulary."""
    counts: Counter = Counter()
    for text, tags in captions:
        counts.update({m.wnid for m in canon.map_caption(text, tags) if m.wnid})
    return counts
