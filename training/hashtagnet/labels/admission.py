"""Hashtags admitted as classes: the stop-list, the sense each tag means (labels/tag_senses.py), abstract senses
dropped, alignment with a target label set (a tag below a target maps up to it; a tag above the targets is kept as a
broad concept), and a review row per tag."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

from .hashtags import Canonicaliser
from .label_map import LabelMap
from .wordnet_graph import ancestors, parents

STOP_LIST = Path(__file__).parent / "resources" / "non_visual_tags.txt"


def stop_list(path: Path = STOP_LIST) -> set[str]:
    """The normalised tags never admitted (comments and blank lines ignored)."""
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


@functools.lru_cache(maxsize=1 << 16)
def nearest_target(wnid: str, targets: frozenset[str]) -> str | None:
    """The target that is wnid itself or its closest hypernym (breadth first, ties by id), else None."""
    level, seen = [wnid], set()
    while level:
        hits = sorted(w for w in level if w in targets)
        if hits:
            return hits[0]
        seen.update(level)
        level = sorted({p for w in level for p in parents(w)} - seen)
    return None


@functools.lru_cache(maxsize=4)
def broad_concepts(targets: frozenset[str]) -> frozenset[str]:
    """Every synset above some target: a tag there (#cat above the ImageNet cats) is kept as a broad concept."""
    return frozenset(a for t in targets for a in ancestors(t))


def _admit(tag: str, canon: Canonicaliser, stop: set[str], targets: frozenset[str] | None) -> tuple[str | None, str]:
    if tag in stop:
        return None, "stop-list"
    mapping = canon.map_tag(tag)
    if mapping.wnid is None:
        return None, "no noun synset"
    if not mapping.visual:
        return None, f"{mapping.lemma}: {mapping.rule}"
    if targets is None:
        return mapping.wnid, f"{mapping.lemma} ({mapping.rule})"
    target = nearest_target(mapping.wnid, targets)
    if target is not None:
        return target, f"{mapping.lemma} under {target} ({mapping.rule})"
    if mapping.wnid in broad_concepts(targets):
        return mapping.wnid, f"{mapping.lemma}: broad concept above targets ({mapping.rule})"
    return None, f"{mapping.lemma} ({mapping.wnid}) under no target"


def build_label_map(tag_counts: Counter, canon: Canonicaliser, *, targets: list[str] | None = None, top_k: int = 0,
                    min_count: int = 1, stop: set[str] | None = None, report_top: int = 30) -> tuple[LabelMap, dict]:
    """Classes (the targets in their order then broad concepts above them, or the top_k synsets), tag -> class,
    counts, and what was admitted and dropped (`review`: every tag's decision). counts[c] sums its tags' image
    counts: an upper bound when an image carries two tags of one class."""
    stop, target_set = stop if stop is not None else stop_list(), frozenset(targets) if targets else None
    admitted, dropped, synset_counts, review = {}, Counter(), Counter(), []
    for tag, count in sorted(tag_counts.items(), key=lambda item: (-item[1], item[0])):
        wnid, why = _admit(tag, canon, stop, target_set) if count >= min_count else (None, "below min_count")
        review.append([tag, count, wnid or "", why])
        if wnid is None:
            dropped[(tag, why)] += count
            continue
        admitted[tag] = (wnid, why)
        synset_counts[wnid] += count
    ranked = [w for w, _ in sorted(synset_counts.items(), key=lambda item: (-item[1], item[0]))]
    classes = [t for t in targets if t in synset_counts] + [w for w in ranked if w not in target_set] if targets \
        else ranked[:top_k or None]
    index = {w: i for i, w in enumerate(classes)}
    tags = {tag: [index[w]] for tag, (w, _) in admitted.items() if w in index}
    total = sum(tag_counts.values())
    report = {"distinct_tags": len(tag_counts), "tag_images": total, "classes": len(classes),
              "admitted_tags": len(tags), "admitted_share": round(sum(tag_counts[t] for t in tags) / max(total, 1), 4),
              "top_admitted": [[t, tag_counts[t], admitted[t][1]] for t in list(tags)[:report_top]],
              "top_dropped": [[t, c, why] for (t, why), c in dropped.most_common(report_top)], "review": review}
    return LabelMap(classes, tags, [synset_counts[w] for w in classes]), report
