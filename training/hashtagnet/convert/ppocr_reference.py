"""Reference OCR results from rapidocr-onnxruntime's own pipeline, for the TypeScript reader's parity test.

rapidocr is not a training dependency: run this in a scratch venv with `pip install rapidocr-onnxruntime==1.4.4`
(it brings opencv, pyclipper and shapely), from the repository root:

    python training/hashtagnet/convert/ppocr_reference.py IMAGE... > test/fixtures/ocr-reference.json

Each image is first scaled so its longer side is 640 px (bilinear), the scale the served detector letterboxes it to,
so both pipelines see the same pixels; boxes are given back in the original image's pixels. The angle classifier is
off, as in the service.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from rapidocr_onnxruntime import RapidOCR

SIDE = 640


def reference(paths: list[str]) -> dict:
    engine = RapidOCR(det_limit_side_len=SIDE, det_limit_type="max", use_cls=False)
    images = []
    for path in paths:
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        scale = SIDE / max(image.shape[:2])
        scaled = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)), interpolation=cv2.INTER_LINEAR)
        result, _ = engine(scaled, use_cls=False)
        lines = [{"text": text, "score": round(float(score), 4), "box": [[round(float(v) / scale, 1) for v in point] for point in box]}
                 for box, text, score in (result or [])]
        images.append({"file": path, "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(), "lines": lines})
    return {"generator": "training/hashtagnet/convert/ppocr_reference.py", "rapidocr_onnxruntime": "1.4.4",
            "settings": {"det_limit_side_len": SIDE, "prescaled_longer_side": SIDE, "det_limit_type": "max", "use_cls": False}, "images": images}


if __name__ == "__main__":
    json.dump(reference(sys.argv[1:]), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
