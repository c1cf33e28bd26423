"""Fit the kind head chosen by kind_cv on every tuning image and write it as the service's JSON table
(src/caption/kind-head.json): weights over the classifier's log-probabilities, standardisation folded in.

    python -m hashtagnet.heads.kind_export --evidence tuning.jsonl --sets ... --l2 1 --family pd+dc+sc --bar 0.8 \
        --out src/caption/kind-head.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from .kind_cv import REPO
from .kind_data import KINDS, load_real
from .kind_fit import fit
from .kind_gates import PAIR_FAMILIES, gates_of

FLOOR = 1e-7  # log-probabilities are taken of max(p, FLOOR), here and in kind-head.ts


def _served_models(bundle: Path) -> list[str]:
    """The sha256 of the classifier's graph and of its drop-ins whose ImageNet output is bit-identical (the heads bundle)."""
    shas = [json.loads((bundle / "model.json").read_text())["sha256"]]
    heads = bundle.with_name(bundle.name + "-heads") / "model.json"
    return shas + ([json.loads(heads.read_text())["sha256"]] if heads.exists() else [])


def main() -> None:
    """Fit on all tuning images, fold the standardisation into the weights, check the fold, write the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evidence", type=Path, required=True)
    parser.add_argument("--sets", type=Path, nargs="+", required=True)
    parser.add_argument("--bundle", type=Path, default=REPO / "models/efficientnet-lite0")
    parser.add_argument("--l2", type=float, required=True)
    parser.add_argument("--family", choices=list(PAIR_FAMILIES), default="pd", help="the gates (kind_gates.py)")
    parser.add_argument("--bar", type=float, required=True, help="share of the other kind at which the head overrules the tree")
    parser.add_argument("--photo-bar", type=float, default=0.8, help="the same, from photo to drawing")
    parser.add_argument("--back-bar", type=float, help="the same, from drawing to photo (default: --photo-bar)")
    parser.add_argument("--recipe", default="", help="which of the tuning images it learns from, for the table's source")
    parser.add_argument("--cv", type=Path, help="kind_cv's table, kept as the measurement that chose this head")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = load_real(args.evidence, args.sets, args.bundle, None)
    y = np.array([KINDS.index(k) for k in data["fine"]])
    head = fit(data["logp"], y, KINDS, args.l2)
    weight = head.weight / head.std[:, None]
    bias = head.bias - (head.mean / head.std) @ head.weight
    weight, bias = np.round(weight.astype(np.float64), 5), np.round(bias.astype(np.float64), 5)
    drift = np.abs((data["logp"] @ weight + bias) - head.logits(data["logp"])).max()
    assert drift < 1e-2, f"folded weights drift {drift}"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    table = {
        "source": ("Multinomial logistic regression over log(max(p, floor)) of efficientnet-lite0's 1,000 ImageNet "
                   f"probabilities, trained on {len(y)} real tuning images ({', '.join(p.name for p in args.sets)}{args.recipe}), "
                   "class-balanced, L2 chosen by 5-fold cross-validation grouped by package (kind_cv.py); the held-out "
                   "set was not used. Trained here; same licence as the project."),
        "command": "python -m hashtagnet.heads.kind_export " + " ".join(sys.argv[1:]),
        "git_commit": commit, "trained_at": datetime.date.today().isoformat(),
        "models": _served_models(args.bundle), "labels": list(KINDS), "classes": int(weight.shape[0]), "floor": FLOOR,
        "gates": [{"from": a, "to": b, "bar": bar} for a, b, bar in gates_of(args.family, args.bar, args.photo_bar, args.back_bar)],
        "cross_validation": json.loads(args.cv.read_text()) if args.cv else None,
        "bias": bias.tolist(), "weight": weight.T.tolist(),
    }
    args.out.write_text(json.dumps(table, separators=(",", ":")) + "\n")
    print(f"{args.out}: {weight.shape[0]} x {weight.shape[1]} weights, fold drift {drift:.2e}")


if __name__ == "__main__":
    main()
