"""The served classifier's log-probabilities of the weakly labelled scene photos (the whole image and random crops of
35-100% of its area as further views) and of the tuning part's images, cached in one .npz file.

    python -m hashtagnet.heads.scene_views --records records.jsonl --sets devset/labels.json ... --out views.npz
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from hashtagnet.data.images import resize_for_input

from .features import feature_session, load_served_rgb

REPO = Path(__file__).resolve().parents[3]


def crops(rgb: np.ndarray, n: int, rng: random.Random) -> list[np.ndarray]:
    """The image itself and n random crops, each 35-100% of its area at an aspect ratio within 3:4 to 4:3 of it."""
    h, w = rgb.shape[:2]
    views = [rgb]
    for _ in range(n):
        area, ratio = rng.uniform(0.35, 1.0), rng.uniform(0.75, 1.333)
        ch, cw = min(h, round(h * (area / ratio) ** 0.5)), min(w, round(w * (area * ratio) ** 0.5))
        y, x = rng.randint(0, h - ch), rng.randint(0, w - cw)
        views.append(rgb[y:y + ch, x:x + cw])
    return views


def log_probabilities(session, manifest: dict, images: list[np.ndarray]) -> np.ndarray:
    """The classifier's log-probabilities [N, 1000] of decoded images, by the bundle's own resize rule."""
    spec, output = manifest["input"], manifest["output"]["name"]
    out = []
    for start in range(0, len(images), 16):
        pixels = np.stack([resize_for_input(im, spec) for im in images[start:start + 16]])
        out.append(np.log(np.maximum(session.run([output], {spec["name"]: pixels})[0], 1e-12)))
    return np.concatenate(out).astype(np.float32)


def main() -> None:
    """Views of every record (seeded crops) and the labelled images, their log-probabilities and where each came from."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=Path, required=True)
    parser.add_argument("--sets", type=Path, nargs="*", default=[])
    parser.add_argument("--bundle", type=Path, default=REPO / "models" / "efficientnet-lite0")
    parser.add_argument("--crops", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    session, _, manifest = feature_session(args.bundle)
    records = [json.loads(line) for line in args.records.read_text().splitlines() if line.strip()]
    started, logp, owner = time.perf_counter(), [], []
    for i, record in enumerate(records):
        views = crops(load_served_rgb(Path(record["file"])), args.crops, random.Random(args.seed * 1000003 + i))
        logp.append(log_probabilities(session, manifest, views))
        owner += [i] * len(views)
    labelled = [img for s in args.sets for img in json.loads(s.read_text())["images"]]
    paths = [Path(img["file"]) if img["file"].startswith("/") else REPO / img["file"] for img in labelled]
    tuning = np.concatenate([log_probabilities(session, manifest, [load_served_rgb(p)]) for p in paths])
    np.savez(args.out, logp=np.concatenate(logp), owner=np.array(owner), tuning=tuning,
             tuning_files=np.array([img["file"] for img in labelled]), classifier=manifest["sha256"])
    print(f"{len(owner)} views of {len(records)} images and {len(labelled)} labelled images in "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
