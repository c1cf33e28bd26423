"""Kind and scene heads measured on real labelled images no corpus image came from (the dev set and held-out sets),
beside the kinds the service's rules answer today."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .scenes import OTHER
from .train import LinearHead, confusion, precision_recall

# The service's five kinds (openapi.yaml) and where each head kind falls among them; the dev set's 'drawing'
# includes paintings, logos and diagrams, and its 'text' is a document.
API_KIND = {"photo": "photo", "screenshot": "screenshot", "document": "document", "chart": "chart",
            "drawing": "drawing", "painting": "drawing", "map": "drawing", "diagram": "drawing"}
SET_KIND = {"text": "document"}
FINE_KINDS = ("painting", "map", "diagram")


def labelled_images(sets: list[Path]) -> list[dict]:
    """Every image of the label files, with its path resolved, its kind and its finer kind where the set gives one."""
    images = []
    for label_file in sets:
        root = label_file.resolve().parents[1]  # relative paths are from the checkout the label file is in
        for item in json.loads(label_file.read_text())["images"]:
            path = Path(item["file"]) if item["file"].startswith("/") else root / item["file"]
            fine = item.get("subkind") if item.get("subkind") in FINE_KINDS else None
            images.append({"set": label_file.name, "name": Path(item["file"]).name, "file": item["file"], "path": path, "fine": fine,
                           "kind": SET_KIND.get(item["kind"], item["kind"]), "scene": item.get("scene")})
    return images


def _refined(table: dict[str, str], image: dict) -> str | None:
    return table.get(image["file"]) or table.get(image["name"])


def kind_report(images: list[dict], head: LinearHead, features: np.ndarray, fine: dict[str, str],
                rule_kinds: dict[str, str] | None) -> dict:
    """Head vs rules on the five API kinds (confusion and precision), and the head's eight kinds where finer labels exist."""
    probabilities = head.probabilities(features)
    predicted = [head.labels[i] for i in probabilities.argmax(axis=1)]
    coarse = [API_KIND[p] for p in predicted]
    truth = [image["kind"] for image in images]
    api = tuple(dict.fromkeys(API_KIND.values()))
    report = {"images": len(images), "head": {"accuracy": round(float(np.mean([t == p for t, p in zip(truth, coarse)])), 3),
                                              "confusion": confusion(truth, coarse, api),
                                              "per_kind": precision_recall(truth, coarse, api)}}
    if rule_kinds:  # side by side on the images the rules were run on
        rules = [rule_kinds.get(str(Path(image["path"]).resolve())) for image in images]
        both = [n for n, r in enumerate(rules) if r]
        t, r, h = [truth[n] for n in both], [rules[n] for n in both], [coarse[n] for n in both]
        report["rules"] = {"images": len(both), "accuracy": round(float(np.mean([a == b for a, b in zip(t, r)])), 3),
                           "head_accuracy_same_images": round(float(np.mean([a == b for a, b in zip(t, h)])), 3),
                           "confusion": confusion(t, r, api), "per_kind": precision_recall(t, r, api),
                           "head_confusion_same_images": confusion(t, h, api)}
    fine_truth = [image["fine"] or _refined(fine, image) or image["kind"] for image in images]
    report["head_eight_kinds"] = {"confusion": confusion(fine_truth, predicted, head.labels),
                                  "per_kind": precision_recall(fine_truth, predicted, head.labels)}
    report["per_image"] = [{"file": i["file"], "truth": t, "head": p, "p": round(float(probabilities[n].max()), 3)}
                           for n, (i, t, p) in enumerate(zip(images, fine_truth, predicted))]
    return report


def scene_report(images: list[dict], scores: np.ndarray, labels: tuple[str, ...], scenes: dict[str, str],
                 threshold: float) -> dict:
    """Scenes said (best score at least threshold, else none) against the reference scenes, photos only."""
    keep = [n for n, image in enumerate(images) if image["kind"] == "photo"]
    truth = [images[n]["scene"] or _refined(scenes, images[n]) or OTHER for n in keep]
    said = [labels[int(scores[n].argmax())] if scores[n].max() >= threshold else OTHER for n in keep]
    right = sum(1 for t, s in zip(truth, said) if t == s and t != OTHER)
    return {"photos": len(keep), "with_scene": sum(t != OTHER for t in truth), "said": sum(s != OTHER for s in said),
            "right": right, "threshold": threshold, "per_scene": precision_recall(truth, said, (*labels, OTHER)),
            "pairs": [{"file": images[n]["file"], "truth": t, "said": s} for n, t, s in zip(keep, truth, said)
                      if t != OTHER or s != OTHER]}
