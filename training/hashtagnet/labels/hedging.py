"""Hedging (Deng et al., CVPR 2012): the most specific concept whose probability reaches the precision target.

The one Python definition; it follows the server's rule (src/caption/hedge.ts) to the bit, and both run
contracts/hedging-vectors.json."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .hierarchy import Hierarchy


@dataclass(frozen=True)
class HedgedLabel:
    """The chosen concept, its score (capped at 1), the ids from the root down to it, and whether it is the root."""

    id: str
    name: str
    score: float
    path: tuple[str, ...]
    is_root: bool


def concept_scores(hierarchy: Hierarchy, probabilities: np.ndarray) -> np.ndarray:
    """float64 score of every node: the sum of its classes' float32 probabilities, added in class order."""
    probs = np.asarray(probabilities, dtype=np.float32).astype(np.float64)
    # cumsum adds left to right like the server's loop, so equal sums tie exactly as they do there
    return np.array([np.cumsum(probs[list(below)])[-1] if below else 0.0 for below in hierarchy.leaves])


def _more_specific(hierarchy: Hierarchy, scores: np.ndarray, a: int, b: int) -> bool:
    """Fewer classes below; then higher score; then deeper; then the smaller id."""
    if len(hierarchy.leaves[a]) != len(hierarchy.leaves[b]):
        return len(hierarchy.leaves[a]) < len(hierarchy.leaves[b])
    if scores[a] != scores[b]:
        return scores[a] > scores[b]
    if hierarchy.depth[a] != hierarchy.depth[b]:
        return hierarchy.depth[a] > hierarchy.depth[b]
    return hierarchy.ids[a] < hierarchy.ids[b]


def _path_to(hierarchy: Hierarchy, scores: np.ndarray, node: int) -> tuple[str, ...]:
    """Root-to-node ids, climbing through the most probable parent (the first listed on a tie)."""
    path, current = [hierarchy.ids[node]], node
    while current != hierarchy.root:
        parents = hierarchy.parents[current]
        current = max(parents, key=lambda parent: (scores[parent], -parents.index(parent)))
        path.append(hierarchy.ids[current])
    return tuple(reversed(path))


def hedge_label(hierarchy: Hierarchy, probabilities: np.ndarray, precision_target: float) -> HedgedLabel:
    """The hedged label for one image's class probabilities; the root when nothing else reaches the target."""
    scores = concept_scores(hierarchy, probabilities)
    chosen = hierarchy.root
    for node in range(len(scores)):
        if scores[node] >= precision_target and _more_specific(hierarchy, scores, node, chosen):
            chosen = node
    return HedgedLabel(hierarchy.ids[chosen], hierarchy.names[chosen], min(1.0, float(scores[chosen])),
                       _path_to(hierarchy, scores, chosen), chosen == hierarchy.root)
