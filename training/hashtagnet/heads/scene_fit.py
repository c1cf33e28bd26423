"""Scene heads on weak labels: one-vs-rest logistic regressions over the classifier's log-probabilities, trained on the
views of scene_weak.py's photos, checked by cross-validation grouped by source photo (and by package where a concept
has positives in two packages), then measured on the tuning part's photos (scene_truth.json), where each concept's
threshold is the lowest at which precision is 0.9 or more with at least 3 right. Writes the measured table as JSON,
and with --out the table the service reads (concepts that clear the bar only).

    python -m hashtagnet.heads.scene_fit --records records.jsonl --views views.npz --report report.json [--out F.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .kind_fit import fit
from .scene_weak import HEADS

REPO = Path(__file__).resolve().parents[3]
FLOOR = 1e-7  # log-probabilities are taken of max(p, FLOOR), as kind-head.ts does
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)  # a coarse grid, as scripts/measure-scenes.ts uses: fewer chances to fit noise
BAR, RIGHT = 0.9, 3
# The concepts the service can say, by the scene synset of src/caption/scenes.json that names them (its language packs
# name it in every language); a concept that clears the bar without one is reported, not exported.
SAYABLE = {"landscape": "n08646902"}


def training_data(records: list[dict], views: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, the source photo of each view, and which views are usable (a name with a noun: known positive or negative)."""
    x = np.maximum(views["logp"], np.log(FLOOR))
    owner = views["owner"]
    known = np.array([records[o]["token"] != "" for o in owner])
    return x, owner, known


def labels_of(records: list[dict], owner: np.ndarray, head: str) -> np.ndarray:
    """1 where the view's photo is under the concept, else 0."""
    return np.array([int(head in records[o]["concepts"]) for o in owner])


def grouped_cv(x: np.ndarray, y: np.ndarray, groups: np.ndarray, l2: float, folds: int = 5) -> np.ndarray:
    """Out-of-fold probability of the concept for every view, folds by group (a photo's views stay together)."""
    unique = np.unique(groups)
    fold_of = {g: k % folds for k, g in enumerate(np.random.default_rng(0).permutation(unique))}
    fold = np.array([fold_of[g] for g in groups])
    out = np.zeros(len(y))
    for k in range(folds):
        train, test = fold != k, fold == k
        if y[train].sum() == 0:
            continue
        model = fit(x[train], y[train], ("no", "yes"), l2)
        out[test] = model.probabilities(x[test])[:, 1]
    return out


def precision_recall(p: np.ndarray, truth: np.ndarray, at: float) -> dict:
    """Said, right, precision and recall at a threshold."""
    said = p >= at
    right = int((said & truth).sum())
    return {"at": at, "said": int(said.sum()), "right": right, "positives": int(truth.sum()),
            "precision": right / said.sum() if said.sum() else None, "recall": right / truth.sum() if truth.sum() else None}


def choose(p: np.ndarray, truth: np.ndarray) -> dict | None:
    """The lowest threshold with precision >= BAR and at least RIGHT right, or None."""
    for at in THRESHOLDS:
        row = precision_recall(p, truth, at)
        if row["right"] >= RIGHT and row["precision"] is not None and row["precision"] >= BAR:
            return row
    return None


def tuning_truth(views: dict) -> tuple[list[str], dict[str, np.ndarray], np.ndarray]:
    """The tuning photos measured (those with a scene truth), each concept's truth, and which rows of views they are."""
    truth = json.loads((Path(__file__).with_name("scene_truth.json")).read_text())
    scenes = json.loads((REPO / "devset/scenes-tuning.json").read_text())["scenes"]
    kinds = {i["file"]: i["kind"] for s in ("labels", "tuning-more") for i in json.loads((REPO / f"devset/{s}.json").read_text())["images"]}
    files = [str(f) for f in views["tuning_files"]]
    rows = np.array([kinds[f] == "photo" and scenes.get(Path(f).name) is not None for f in files])
    names = [Path(f).name for f, r in zip(files, rows) if r]
    out = {"landscape": np.array([bool(set(scenes[n]) & set(truth["landscape_from"])) for n in names])}
    for concept, positives in truth["concepts"].items():
        out[concept] = np.array([n in positives for n in names])
    return names, out, rows


def exported(table: list[dict], args: argparse.Namespace) -> dict:
    """The service's table: provenance, the classifiers it reads (the served graph and its bit-identical drop-in), heads."""
    bundle = REPO / "models/efficientnet-lite0"
    shas = [json.loads((b / "model.json").read_text())["sha256"] for b in (bundle, bundle.with_name(bundle.name + "-heads"))]
    return {
        "source": "One-vs-rest logistic regressions over log(max(p, floor)) of efficientnet-lite0's 1,000 ImageNet "
        "probabilities, trained on weakly labelled photos of Debian packages (file names mapped to concepts through "
        "WordNet 3.0: training/hashtagnet/heads/scene_weak.py), whole and randomly cropped; thresholds chosen on the "
        "tuning photos (scene_fit.py); the held-out set was not used. Trained here; same licence as the project.",
        "command": f"python -m hashtagnet.heads.scene_fit --records RECORDS --views VIEWS --l2 {args.l2} --report R --out F",
        "models": shas, "classes": 1000, "floor": FLOOR, "heads": table,
    }


def main() -> None:
    """Cross-validate, fit on all weak data, measure on the tuning photos, choose thresholds, write the report (and table)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=Path, required=True)
    parser.add_argument("--views", type=Path, required=True)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    records = [json.loads(line) for line in args.records.read_text().splitlines() if line.strip()]
    views = dict(np.load(args.views))
    x, owner, known = training_data(records, views)
    names, truth, rows = tuning_truth(views)
    tuning_x = np.maximum(views["tuning"][rows], np.log(FLOOR))
    report, table = {"l2": args.l2, "photos_measured": len(names), "heads": {}}, []
    for head in HEADS:
        y = labels_of(records, owner, head)
        cv = grouped_cv(x[known], y[known], owner[known], args.l2)
        whole = np.array([k and (i == 0 or owner[i - 1] != owner[i]) for i, k in enumerate(known)])[known]
        model = fit(x[known], y[known], ("no", "yes"), args.l2)
        p = model.probabilities(tuning_x)[:, 1]
        chosen = choose(p, truth[head])
        report["heads"][head] = {
            "weak_positives": int(len({o for o, t in zip(owner[known], y[known]) if t})),
            "cv_whole_photos_at_0.5": precision_recall(cv[whole], y[known][whole].astype(bool), 0.5),
            "tuning_at_0.5": precision_recall(p, truth[head], 0.5),
            "tuning_at_0.9": precision_recall(p, truth[head], 0.9),
            "chosen": chosen,
            "said_at_0.5": sorted(n for n, q in zip(names, p) if q >= 0.5),
        }
        if chosen and head in SAYABLE:
            weight = model.weight[:, 1] - model.weight[:, 0]
            bias = float(model.bias[1] - model.bias[0] - ((model.mean / model.std) * weight).sum())
            table.append({"concept": head, "id": SAYABLE[head], "from": chosen["at"], "precision": chosen["precision"], "right": chosen["right"],
                          "said": chosen["said"], "bias": bias, "weight": (weight / model.std).astype(float).round(6).tolist()})
        print(head, json.dumps({k: v for k, v in report["heads"][head].items() if k != "said_at_0.5"}))
    args.report.write_text(json.dumps(report, indent=1))
    if args.out:
        args.out.write_text(json.dumps(exported(table, args), indent=None))


if __name__ == "__main__":
    main()
