"""Export the miniature's fine-tuned, calibrated model as a caption bundle through the shared exporter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .corpus import ImageTable

EXAMPLES = "examples"  # one test image per class, named <wnid>.png, beside the bundle (inputs it was trained to see)


def _examples(table: ImageTable) -> list[tuple[str, np.ndarray]]:
    labels = table.single_labels()
    return [(wnid, table.images[int(np.nonzero(labels == i)[0][0])]) for i, wnid in enumerate(table.classes)]


def export_miniature(model, recipe: dict, tables: dict, temperature: float, out_dir: Path, report: dict,
                     mode: str, seed: int) -> dict:
    """export_bundle(...) with the calibrated temperature, parity on target test images, example inputs saved."""
    from .export import export_bundle

    out_dir = Path(out_dir)
    model = model.cpu().to(memory_format=torch.contiguous_format).eval()
    size = tables["test"].images.shape[1]
    parity = list(tables["test"].images[:: max(1, len(tables["test"]) // 36)])
    runs = report["runs"]
    provenance = {
        "source": {"package": "hashtagnet", "version": f"miniature-{mode}-seed{seed}"},
        "license": "Apache-2.0 (project code, synthetic data); class names and hierarchy: WordNet 3.0 license (Princeton)",
        "training_data": "synthetic photo-like images with noisy hashtags (hashtagnet.synth), pretrained on 24 hashtag "
                         "concepts, fine-tuned on 9 different target concepts",
        "export_command": f"python -m hashtagnet.miniature --{mode} --seed {seed} --export {out_dir}",
    }
    metrics = {"miniature": {"target_top1": runs["finetune/sqrt_softmax_clean"]["top1"],
                             "scratch_top1": runs["scratch"]["top1"],
                             "calibrated_test_nll": report["calibration"]["test_calibrated"]["nll"]}}
    manifest = export_bundle(model, out_dir, name=out_dir.name, version=f"0.1.0+{mode}.seed{seed}",
                             class_ids=list(tables["train"].classes), input_size=size, resize_shorter=size,
                             mean=recipe["normalise"]["mean"], std=recipe["normalise"]["std"], temperature=temperature,
                             provenance=provenance, metrics=metrics, parity_images=parity)
    (out_dir / EXAMPLES).mkdir(exist_ok=True)
    for wnid, image in _examples(tables["test"]):
        Image.fromarray(image).save(out_dir / EXAMPLES / f"{wnid}.png")
    return {"dir": str(out_dir), "sha256": manifest["sha256"], "parity": manifest["metrics"].get("parity")}
