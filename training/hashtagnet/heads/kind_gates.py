"""Gated kind decisions: the kind tree's answer stands unless the kind head, weighing only the tree's answer and one
other kind, gives the other at least a bar of their joint probability (a gate: tree answer -> other kind at bar).
One definition shared by kind_cv (candidates), kind_export (the shipped gates) and kind_heldout (measured once);
src/caption/kind-head.ts applies the same gates."""

from __future__ import annotations

import numpy as np

from .evaluate import API_KIND
from .kind_data import API, KINDS

Gate = tuple[str, str, float]  # (the tree's answer, the kind the head may answer instead, bar)

PHOTO_DRAWING = (("photo", "drawing"), ("drawing", "photo"))
# The rendered kinds whose text and lines the tree weighs; a gate family per candidate, each at one bar.
PAIR_FAMILIES: dict[str, tuple[tuple[str, str], ...]] = {
    "pd": PHOTO_DRAWING,
    "pd+dc": PHOTO_DRAWING + (("document", "chart"),),
    "pd+sc": PHOTO_DRAWING + (("screenshot", "chart"),),
    "pd+dc+sc": PHOTO_DRAWING + (("document", "chart"), ("screenshot", "chart")),
    "pd+text3": PHOTO_DRAWING + tuple((a, b) for a in ("screenshot", "document", "chart")
                                      for b in ("screenshot", "document", "chart") if a != b),
    "pd+rendered": PHOTO_DRAWING + tuple((a, b) for a in ("screenshot", "document", "chart", "drawing")
                                         for b in ("screenshot", "document", "chart", "drawing") if a != b),
}


def api_probabilities(p: np.ndarray) -> np.ndarray:
    """Eight-kind probabilities summed into the API's five (painting, map and diagram weigh as drawing)."""
    return np.stack([p[:, [i for i, k in enumerate(KINDS) if API_KIND[k] == a]].sum(axis=1) for a in API], axis=1)


def gates_of(family: str, bar: float, photo_bar: float = 0.8, back_bar: float | None = None) -> list[Gate]:
    """The gates of one family: photo to drawing at `photo_bar`, drawing to photo at `back_bar` (default the same),
    the others at `bar`."""
    pd = {PHOTO_DRAWING[0]: photo_bar, PHOTO_DRAWING[1]: photo_bar if back_bar is None else back_bar}
    return [(a, b, pd.get((a, b), bar)) for a, b in PAIR_FAMILIES[family]]


def gated(api: np.ndarray, rules: list[str], gates: list[Gate]) -> list[str]:
    """Each image's answer: the tree's, or the likeliest other kind among its gates that reaches its bar."""
    said = []
    for n, tree in enumerate(rules):
        best, best_share = tree, 0.0
        for origin, other, bar in gates:
            if origin != tree:
                continue
            a, b = api[n, API.index(origin)], api[n, API.index(other)]
            share = b / (a + b) if a + b > 0 else 0.0
            if share >= bar and share > best_share:
                best, best_share = other, share
        said.append(best)
    return said
