"""The detector the peer runs beside the classifier (`npm run bench -- --peer --full`): the same bundle, its input resized by
the manifest's rule from the one decode, and the post-processing of src/models/detector.ts with the caption use case's
overrides (src/caption/evidence-rules.json `nms`, as CAPTION_POSTPROCESS applies them)."""
import json
from pathlib import Path

import numpy as np
from PIL import Image

from preprocess import RESAMPLE, center_crop_box

EVIDENCE_RULES = Path(__file__).resolve().parents[2] / "src/caption/evidence-rules.json"


def post_process(manifest: dict) -> dict:
    """The manifest's settings with the caption use case's NMS settings over them (src/caption/select-detections.ts)."""
    given = manifest.get("postprocess") or {}
    settings = {"score_threshold": given.get("score_threshold", 0.3), "iou_threshold": given.get("iou_threshold", 0.5),
                "max_detections": given.get("max_detections", 20), "nms": given.get("nms", "per_class"),
                "suppressed": set(given.get("suppressed_classes", []))}
    settings.update(json.loads(EVIDENCE_RULES.read_text())["nms"])
    return settings


def resize_for(image: Image.Image, spec: dict) -> np.ndarray:
    """HWC uint8 RGB of spec's size by its rule (src/image/resize.ts): stretch, letterbox (top-left, fill) or centre crop."""
    rule, size = spec["resize"], (spec["width"], spec["height"])
    resample = RESAMPLE[spec["interpolation"]]
    if rule["method"] == "shorter_side_center_crop":
        box = center_crop_box(image.width, image.height, rule["shorter_side"], spec["width"], spec["height"])
        return np.asarray(image.resize(size, resample, box=box), dtype=np.uint8)
    if rule["method"] == "letterbox":
        scale = min(spec["width"] / image.width, spec["height"] / image.height)
        inner = (max(1, min(spec["width"], int(np.floor(image.width * scale + 0.5)))),
                 max(1, min(spec["height"], int(np.floor(image.height * scale + 0.5)))))
        canvas = Image.new("RGB", size, (rule["fill"],) * 3)
        canvas.paste(image.resize(inner, resample), (0, 0))
        return np.asarray(canvas, dtype=np.uint8)
    return np.asarray(image.resize(size, resample), dtype=np.uint8)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two x1, y1, x2, y2 boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return float(inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter))


def detect(raw: np.ndarray, classes: list[dict], settings: dict) -> list[dict]:
    """Each anchor's best class over the threshold, box clipped, suppressed classes dropped, greedy NMS best first."""
    rows = raw.reshape(-1, 4 + len(classes))
    best = rows[:, 4:].argmax(axis=1)
    scores = rows[np.arange(len(rows)), 4 + best]
    boxes = np.clip(rows[:, :4], 0, 1)
    keep = (scores >= settings["score_threshold"]) & (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
    keep &= np.array([classes[c]["id"] not in settings["suppressed"] for c in best])
    kept: list[tuple[int, float, np.ndarray]] = []
    for i in np.flatnonzero(keep)[np.argsort(-scores[keep], kind="stable")]:
        if len(kept) >= settings["max_detections"]:
            break
        rivals = [k for k in kept if settings["nms"] == "class_agnostic" or k[0] == best[i]]
        if any(iou(k[2], boxes[i]) > settings["iou_threshold"] for k in rivals):
            continue
        kept.append((int(best[i]), float(scores[i]), boxes[i]))
    return [{"id": classes[c]["id"], "name": classes[c]["name"], "score": round(s, 4),
             "box": {"x": round(float(b[0]), 4), "y": round(float(b[1]), 4),
                     "width": round(float(b[2] - b[0]), 4), "height": round(float(b[3] - b[1]), 4)}} for c, s, b in kept]
