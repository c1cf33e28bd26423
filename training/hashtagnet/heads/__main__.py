"""Train the kind and scene heads on the corpus, measure them on real labelled images, export one bundle.

    python -m hashtagnet.heads --corpus corpus/out --out models/efficientnet-lite0-heads \
        --sets devset/labels.json [--rule-kinds eval.json] [--cache corpus/out/cache]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .bundle import write_bundle
from .data import corpus_features, corpus_records, group_split, image_features
from .evaluate import kind_report, labelled_images, scene_report
from .scenes import OTHER, SCENES, gathered_matrix, scene_matrix, weak_scene_labels
from .train import GatheredHead, LinearHead, precision_recall, train_linear_head

KINDS = ("photo", "screenshot", "document", "chart", "drawing", "painting", "map", "diagram")
REPO = Path(__file__).resolve().parents[3]
REFINEMENTS = Path(__file__).with_name("reference_labels.json")


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--bundle", type=Path, default=REPO / "models/efficientnet-lite0")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sets", type=Path, nargs="+", default=[REPO / "devset/labels.json"])
    parser.add_argument("--rule-kinds", type=Path, nargs="*", default=[],
                        help="eval-alt-text --json or eval-kinds output: the kinds the rules answer")
    parser.add_argument("--heldout-packages", type=Path, nargs="*", default=[Path("/work/wt/HELDOUT_PACKAGES.txt")])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--scene-threshold", type=float, default=0.3, help="weak label: gathered probability at least this")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def _heldout(files: list[Path]) -> set[str]:
    """Package names of held-out lists: 'registry package version' lines (or bare names), # comments."""
    names = set()
    for path in files:
        for line in path.read_text().splitlines() if path.exists() else []:
            words = line.split("#")[0].split()
            if words:
                names.add(words[1] if len(words) > 1 and words[0] in ("debian", "pypi", "npm") else words[0])
    return names


def train_heads(records, features, probabilities, class_names, args) -> tuple[dict, dict]:
    """The kind head (validated on a grouped 15% split, then refit on all) and the scene head on photo views."""
    kinds = np.array([KINDS.index(r["kind"]) for r in records])
    val = group_split(records, 0.15, args.seed)
    probe = train_linear_head(features[~val], kinds[~val], KINDS, seed=args.seed)
    predicted = [KINDS[i] for i in probe.probabilities(features[val]).argmax(axis=1)]
    truth = [KINDS[i] for i in kinds[val]]
    corpus_val = {"images": int(val.sum()), "accuracy": round(float(np.mean([t == p for t, p in zip(truth, predicted)])), 3),
                  "per_kind": precision_recall(truth, predicted, KINDS)}
    kind = train_linear_head(features, kinds, KINDS, seed=args.seed)
    photos = np.array([r["kind"] == "photo" for r in records])
    targets = weak_scene_labels(probabilities[photos], scene_matrix(class_names), args.scene_threshold)
    scene = train_linear_head(features[photos], targets, (*SCENES, OTHER), seed=args.seed)
    counts = {label: int((targets == i).sum()) for i, label in enumerate((*SCENES, OTHER))}
    return {"kind": kind, "scene": scene}, {"kind_corpus_validation": corpus_val, "scene_weak_label_counts": counts}


def rule_kinds(files: list[Path]) -> dict[str, str]:
    """The kinds the rules answered (eval-alt-text --json or eval-kinds output), by resolved image path."""
    kinds = {}
    for path in files:
        for result in json.loads(path.read_text())["results"]:
            file = Path(result["file"])
            kinds[str((file if file.is_absolute() else REPO / file).resolve())] = result["answeredKind"]
    return kinds


THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)


def measure(heads: dict, images, features, probabilities, rules) -> dict:
    """Kind confusion and precision (head vs rules); scenes said by the trained and the gathered scene head."""
    refinements = json.loads(REFINEMENTS.read_text())
    report = {"kind": kind_report(images, heads["kind"], features, refinements["kinds"], rules or None)}
    variants = {"trained": heads["scene"].probabilities(features), "gathered": heads["scene_gathered"].probabilities_from(probabilities)}
    for variant, scores in variants.items():
        for threshold in THRESHOLDS:
            report[f"scene_{variant}_{threshold}"] = scene_report(images, scores[:, : len(SCENES)], SCENES,
                                                                 refinements["scenes"], threshold)
    return report


def choose_scene(report: dict) -> tuple[str, float]:
    """The scene variant and threshold with the best F1 on the first (tuning) set's photos with a reference scene."""
    def f1(r: dict) -> float:
        precision, recall = r["right"] / max(r["said"], 1), r["right"] / max(r["with_scene"], 1)
        return 2 * precision * recall / max(precision + recall, 1e-9)
    best = max((f1(report[f"scene_{v}_{t}"]), v, t) for v in ("trained", "gathered") for t in THRESHOLDS)
    return best[1], best[2]


def main() -> None:
    """Features, heads, measurements, bundle; prints the report and writes it beside the cached features."""
    args = _args()
    started = time.perf_counter()
    cache = args.cache or args.corpus / "cache"
    class_names = [c["name"] for c in json.loads((args.bundle / "model.json").read_text())["classes"]]
    evaluation = [image["path"] for image in labelled_images(args.sets)]
    records, duplicates = corpus_records(args.corpus, _heldout(args.heldout_packages), evaluation)
    print(f"{len(records)} corpus images; source photos dropped as near duplicates of evaluation images: {duplicates}")
    features, probabilities = corpus_features(args.corpus, records, args.bundle, cache, args.threads)
    heads, training = train_heads(records, features, probabilities, class_names, args)
    heads["scene_gathered"] = GatheredHead((*SCENES, OTHER), gathered_matrix(class_names))
    rules = rule_kinds(args.rule_kinds)
    reports, checks = {}, None
    for label_file in args.sets:
        images = labelled_images([label_file])
        eval_features, eval_probabilities = image_features(images, args.bundle, cache, args.threads)
        reports[label_file.name] = measure(heads, images, eval_features, eval_probabilities, rules)
        checks = checks or ([image["path"] for image in images[:16]], eval_features[:16])
    variant, threshold = choose_scene(reports[args.sets[0].name])
    shipped = {"kind": heads["kind"], "scene": heads["scene" if variant == "trained" else "scene_gathered"]}
    metrics = {"kind": {"corpus_validation": training["kind_corpus_validation"], "real_images": {
        name: {k: r["kind"]["head"][k] for k in ("accuracy", "per_kind")} for name, r in reports.items()}},
        "scene": {"variant": variant, "threshold": threshold, "chosen_on": args.sets[0].name,
                  "weak_label_counts": training["scene_weak_label_counts"], "real_photos": {
                      name: {k: r[f"scene_{variant}_{threshold}"][k] for k in ("photos", "with_scene", "said", "right", "per_scene")}
                      for name, r in reports.items()}}}
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    provenance = {"corpus": f"bash corpus/build.sh (see corpus/README.md); {len(records)} images",
                  "training_command": "python -m hashtagnet.heads " + " ".join(sys.argv[1:]),
                  "git_commit": commit, "scene_head": (f"linear, trained on corpus photos weakly labelled by gathered ImageNet place classes >= {args.scene_threshold}"
                                 if variant == "trained" else "the classifier's ImageNet place classes gathered into scenes (scenes.py), no training"),
                  "license": "heads: trained here, same licence as the project; trunk as in provenance.source"}
    parity = write_bundle(args.bundle, args.out, shipped, metrics, provenance, *checks)
    report = {"sets": reports, "training": training, "parity": parity, "scene_choice": [variant, threshold],
              "near_duplicates_dropped": duplicates,
              "seconds": round(time.perf_counter() - started, 1)}
    (cache / "heads-report.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: report[k] for k in ("training", "parity", "scene_choice", "seconds")}, indent=1))


if __name__ == "__main__":
    main()
