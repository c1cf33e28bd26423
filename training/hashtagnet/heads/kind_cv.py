"""Which kind decision to ship, chosen by cross-validation on the tuning images only (folds grouped by package):
today's rules, a head on trunk features (real images, or corpus-pretrained then fine-tuned), a head on features and
the rules' evidence, the gated combinations where the head decides only what the rules called photo or drawing, and
gate families (kind_gates.py) that also let it turn a document or a screenshot into a chart, each at a bar.

    python -m hashtagnet.heads.kind_cv --evidence tuning.jsonl --sets devset/labels.json ... [--corpus corpus/out]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .data import corpus_features, corpus_records
from .__main__ import _heldout
from .evaluate import labelled_images
from .kind_data import API, EVIDENCE, KINDS, group_folds, load_real
from .kind_fit import Logistic, fit
from .kind_gates import PAIR_FAMILIES, api_probabilities, gated, gates_of

REPO = Path(__file__).resolve().parents[3]
GATED = ("photo", "drawing")  # the rules' answers a gated head may overrule


def inputs(data: dict, variant: str, boost: float) -> np.ndarray:
    """The head's inputs: pooled features or log-probabilities, with the evidence appended (scaled up) when asked."""
    base = data["features"] if variant.startswith("feat") else data["logp"]
    if not variant.endswith("+ev"):
        return base
    return np.hstack([base, data["evidence"] * boost])


def decide(p: np.ndarray, rules: list[str], how: str) -> list[str]:
    """The answer: the head alone; or the rules, with the head deciding photo vs drawing where the rules said either
    (pd: the head's likelier of the two; pd@t: the other of the two only at share t or more; any: any kind)."""
    api = api_probabilities(p)
    head = [API[i] for i in api.argmax(axis=1)]
    if how == "head":
        return head
    if how == "any":
        return [head[n] if r in GATED else r for n, r in enumerate(rules)]
    share = api[:, API.index("photo")] / (api[:, API.index("photo")] + api[:, API.index("drawing")])
    bar = float(how.split("@")[1]) if "@" in how else 0.5
    said = []
    for n, r in enumerate(rules):
        if r not in GATED:
            said.append(r)
        else:
            other_share = 1 - share[n] if r == "photo" else share[n]
            said.append(({"photo": "drawing", "drawing": "photo"}[r]) if other_share >= bar else r)
    return said


def score(truth: list[str], fine: list[str], said: list[str]) -> dict:
    """Accuracy and the target's forbidden errors (a chart, page or map called screenshot or photo; a photo called other)."""
    bad_text = sum(1 for t, f, s in zip(truth, fine, said) if (t in ("chart", "document") or f == "map") and s in ("screenshot", "photo"))
    bad_photo = sum(1 for t, s in zip(truth, said) if t == "photo" and s != "photo")
    return {"accuracy": round(float(np.mean([t == s for t, s in zip(truth, said)])), 3), "chart_page_map_as_screen_or_photo": bad_text,
            "photo_as_other": bad_photo}


def cross_validate(data: dict, variant: str, l2: float, boost: float, prior: Logistic | None, folds: int, seeds: int,
                   allowed: np.ndarray | None = None, first_seed: int = 0) -> np.ndarray:
    """Out-of-fold eight-kind probabilities, averaged over fold assignments (seeds from `first_seed`); each fold's head
    learns only from the `allowed` images of its training part (all by default), and every image is scored."""
    x = inputs(data, variant, boost)
    y = np.array([KINDS.index(k) for k in data["fine"]])
    learn = np.ones(len(y), dtype=bool) if allowed is None else allowed
    out = np.zeros((len(y), len(KINDS)))
    for seed in range(first_seed, first_seed + seeds):
        fold = group_folds(data["group"], folds, seed)
        for f in range(folds):
            train = fold != f
            head = fit(x[train & learn], y[train & learn], KINDS, l2, prior)
            out[~train] += head.probabilities(x[~train]) / seeds
    return out


def corpus_prior(args, data: dict, variant: str, l2: float) -> Logistic | None:
    """The head pretrained on the weak-label corpus (features only), or None without a corpus."""
    if not args.corpus or variant != "feat":
        return None
    evaluation = [image["path"] for image in labelled_images([*args.sets, REPO / "devset/heldout.json"])]
    records, _ = corpus_records(args.corpus, _heldout([Path("/work/wt/HELDOUT_PACKAGES.txt")]), evaluation)
    features, _ = corpus_features(args.corpus, records, args.bundle, args.cache, 1)
    return fit(features, np.array([KINDS.index(r["kind"]) for r in records]), KINDS, l2)


def main() -> None:
    """Print the tuning-CV table of every candidate and write it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evidence", type=Path, required=True)
    parser.add_argument("--sets", type=Path, nargs="+", required=True)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--bundle", type=Path, default=REPO / "models/efficientnet-lite0")
    parser.add_argument("--cache", type=Path, default=REPO / "corpus/out/cache")
    parser.add_argument("--l2", type=float, nargs="+", default=[0.003, 0.01, 0.03, 0.1])
    parser.add_argument("--boost", type=float, default=8.0, help="scale of the evidence inputs (less shrinkage)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--variants", nargs="+", default=["feat", "logp", "feat+ev", "logp+ev"])
    parser.add_argument("--families", nargs="*", default=[f for f in PAIR_FAMILIES if f != "pd"],
                        help="gate families beyond photo/drawing (kind_gates.PAIR_FAMILIES), photo/drawing at 0.8")
    parser.add_argument("--bars", type=float, nargs="+", default=[0.5, 0.6, 0.7, 0.8, 0.9])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    features = any(v.startswith("feat") for v in args.variants)
    data = load_real(args.evidence, args.sets, args.bundle, args.cache if features else None)
    print(f"{len(data['truth'])} tuning images, {len(set(data['group']))} packages; evidence {', '.join(EVIDENCE)}")
    table = [{"candidate": "rules", **score(data["truth"], data["fine"], data["rule"])}]
    print(json.dumps(table[0]), flush=True)
    for variant in args.variants:
        for l2 in args.l2:
            for pretrained in (False, True) if args.corpus and variant == "feat" else (False,):
                prior = corpus_prior(args, data, variant, l2) if pretrained else None
                p = cross_validate(data, variant, l2, args.boost, prior, args.folds, args.seeds)
                name = f"{variant}{' corpus-pretrained' if pretrained else ''} l2={l2}"
                for how in ("head", "any", "pd", "pd@0.6", "pd@0.7", "pd@0.8", "pd@0.85", "pd@0.9"):
                    table.append({"candidate": f"{name} {how}", **score(data["truth"], data["fine"], decide(p, data["rule"], how))})
                    print(json.dumps(table[-1]), flush=True)
                for family in args.families:
                    for bar in args.bars:
                        said = gated(api_probabilities(p), data["rule"], gates_of(family, bar))
                        table.append({"candidate": f"{name} {family}@{bar}", **score(data["truth"], data["fine"], said)})
                        print(json.dumps(table[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
