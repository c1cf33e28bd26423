"""Simulated hashtag posts (Zipf-popular classes, 1-4 tags per post) through the factor fit: how many records the
fit alone would never emit, and how many with the floor. `python -m hashtagnet.labels.sampling_simulation`."""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

import numpy as np

from .emission import DEFAULT_FLOOR
from .label_map import LabelMap
from .vocab_pass import fit_factors_with_report


def simulated_label_sets(posts: int, classes: int, *, max_tags: int = 4, exponent: float = 1.0,
                         seed: int = 0) -> Counter:
    """Images per distinct label set: each post draws 1..max_tags classes (uniform count) from a Zipf popularity."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, classes + 1) ** exponent
    draws = rng.choice(classes, size=(posts, max_tags), p=popularity / popularity.sum())
    sizes = rng.integers(1, max_tags + 1, size=posts)
    draws = np.where(np.arange(max_tags)[None, :] < sizes[:, None], draws, classes)  # `classes`: no tag
    draws.sort(axis=1)
    unique, counts = np.unique(draws, axis=0, return_counts=True)
    out: Counter = Counter()
    for row, count in zip(unique, counts):
        labels = sorted({int(c) for c in row if c < classes})
        out[",".join(map(str, labels))] += int(count)
    return out


def simulate(posts: int, classes: int, floor: float = DEFAULT_FLOOR, seed: int = 0, **shape) -> dict:
    """The emission report of the fit on simulated posts, with the simulation's size and the seconds it took."""
    started = time.perf_counter()
    sets = simulated_label_sets(posts, classes, seed=seed, **shape)
    empty = LabelMap([str(c) for c in range(classes)], {}, [0] * classes)
    _, report = fit_factors_with_report(empty, sets, "sqrt", floor)
    return {"posts": posts, "classes": classes, "seed": seed, **report,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> dict:
    """CLI: --posts 3000000 --classes 17000 (the issue's size) [--floor F] [--seed S]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=3_000_000)
    parser.add_argument("--classes", type=int, default=17_000)
    parser.add_argument("--floor", type=float, default=DEFAULT_FLOOR)
    parser.add_argument("--exponent", type=float, default=1.0, help="Zipf exponent of class popularity")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = simulate(args.posts, args.classes, args.floor, args.seed, exponent=args.exponent)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
