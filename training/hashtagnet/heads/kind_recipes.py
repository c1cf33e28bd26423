"""Which tuning images a kind head should learn from, by package-grouped CV on all of them: each recipe trains every
fold's head on a subset of that fold's training images (the base images, the base plus the images whose path holds
`--extra`, all but those, or all), and every recipe is scored on the same out-of-fold images, overall and per part,
under each gate family and photo-drawing bar asked for.

    python -m hashtagnet.heads.kind_recipes --evidence all.jsonl --base old.jsonl --extra rcc/paintings rcc/details \
        --sets ../devset/labels.json ../devset/tuning-more.json ../textset/real.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .kind_cv import cross_validate, score
from .kind_data import load_real
from .kind_gates import api_probabilities, gated, gates_of



def part_score(data: dict, mask: np.ndarray, said: list[str]) -> str:
    """accuracy/charts-pages-maps as screenshot or photo/photos as other, over the masked images."""
    s = score(*([v for v, m in zip(values, mask) if m] for values in (data["truth"], data["fine"], said)))
    return f"{s['accuracy']:.3f}/{s['chart_page_map_as_screen_or_photo']}/{s['photo_as_other']}"


def main() -> None:
    """Print one line per input, L2, recipe and gate: all images, base, other added, extra."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evidence", type=Path, required=True)
    parser.add_argument("--base", type=Path, required=True, help="an evidence dump of the base recipe's images")
    parser.add_argument("--extra", nargs="+", required=True, help="path parts that mark the extra images")
    parser.add_argument("--sets", type=Path, nargs="+", required=True)
    parser.add_argument("--l2", type=float, nargs="+", default=[0.3, 1.0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--families", nargs="+", default=["pd", "pd+sc"], help="gate families (other gates at 0.8)")
    parser.add_argument("--bars", type=float, nargs="+", default=[0.8, 0.9], help="photo-drawing bars")
    parser.add_argument("--variants", nargs="+", default=["logp", "logp+ev"])
    parser.add_argument("--back-bar", type=float, help="drawing-to-photo bar (default: the photo-drawing bar)")
    parser.add_argument("--first-seed", type=int, default=0, help="first fold assignment (another set of folds)")
    args = parser.parse_args()
    data = load_real(args.evidence, args.sets, Path("."), None)
    base_paths = {str(Path(json.loads(line)["path"]).resolve()) for line in args.base.read_text().splitlines()}
    base = np.array([p in base_paths for p in data["paths"]])
    extra = np.array([any(part in f for part in args.extra) for f in data["files"]])
    parts = {"all": np.ones_like(base), "base": base, "other added": ~base & ~extra, "extra": extra}
    print(f"{len(base)} images: base {base.sum()}, extra {extra.sum()}; rules "
          + " | ".join(f"{k} {part_score(data, m, data['rule'])}" for k, m in parts.items()))
    recipes = {"base": base, "base+extra": base | extra, "all but extra": ~extra, "all": np.ones_like(base)}
    for variant in args.variants:
        for l2 in args.l2:
            for recipe, allowed in recipes.items():
                api = api_probabilities(cross_validate(data, variant, l2, 8.0, None, 5, args.seeds, allowed,
                                                            args.first_seed))
                for family, photo_bar in ((f, b) for f in args.families for b in args.bars):
                    said = gated(api, data["rule"], gates_of(family, 0.8, photo_bar, args.back_bar))
                    print(f"{variant} L2 {l2} {recipe} {family} photo-bar {photo_bar}: "
                          + " | ".join(f"{k} {part_score(data, m, said)}" for k, m in parts.items()), flush=True)


if __name__ == "__main__":
    main()
