"""Export the miniature's fine-tuned, calibrated model as a caption bundle through the shared exporter."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from hashtagnet import REPO_ROOT
from hashtagnet.data.corpus import ImageTable
from hashtagnet.export import machine
from hashtagnet.export.exporter import export_bundle
from hashtagnet.train.loop import to_model_input

EXAMPLES = "examples"  # one test image per class, named <wnid>.png, beside the bundle (inputs it was trained to see)


def _examples(table: ImageTable) -> list[tuple[str, np.ndarray]]:
    labels = table.single_labels()
    return [(wnid, table.images[int(np.nonzero(labels == i)[0][0])]) for i, wnid in enumerate(table.classes)]


def _shown(path: Path) -> str:
    """The path relative to the repository when it lies inside it (commands are run from the repo root)."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _write_examples(model, recipe: dict, table: ImageTable, temperature: float, folder: Path) -> None:
    """<wnid>.png per class plus expected.json: the truth and the calibrated probabilities PyTorch gives."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {"temperature": temperature, "classes": list(table.classes), "examples": {}}
    for wnid, image in _examples(table):
        Image.fromarray(image).save(folder / f"{wnid}.png")
        with torch.no_grad():
            logits = model(to_model_input(torch.from_numpy(image[None]), recipe))
        probs = torch.softmax(logits / temperature, dim=1)[0]
        expected["examples"][f"{wnid}.png"] = {"truth": wnid, "probabilities": [round(float(p), 6) for p in probs]}
    (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


def export_miniature(model, recipe: dict, tables: dict, temperature: float, out_dir: Path, report: dict,
                     mode: str, seed: int) -> dict:
    """export_bundle(...) with the calibrated temperature, parity on target test images, example inputs saved."""
    out_dir = Path(out_dir)
    model = model.cpu().to(memory_format=torch.contiguous_format).eval()
    size = tables["test"].images.shape[1]
    parity = list(tables["test"].images[:: max(1, len(tables["test"]) // 36)])
    runs = report["runs"]
    provenance = {
        "source": {"package": "hashtagnet", "version": f"miniature-{mode}-seed{seed}"},
        "license": "Apache-2.0 (project code, synthetic data); class names and hierarchy: WordNet 3.0 license (Princeton)",
        "training_data": "synthetic photo-like images with noisy hashtags (hashtagnet.data.synth), pretrained on 24 hashtag "
                         "concepts, fine-tuned on 9 different target concepts",
        "export_command": f"PYTHONPATH=training python -m hashtagnet.miniature.run --{mode} --seed {seed} --export {_shown(out_dir)}",
    }
    metrics = {"miniature": {"target_top1": runs["finetune/sqrt_softmax_clean"]["top1"],
                             "scratch_top1": runs["scratch"]["top1"],
                             "calibrated_test_nll": report["calibration"]["test_calibrated"]["nll"],
                             "cpu": machine.cpu_model()}}
    manifest = export_bundle(model, out_dir, name=out_dir.name, version=f"0.1.0+{mode}.seed{seed}",
                             class_ids=list(tables["train"].classes), input_size=size, resize_shorter=size,
                             mean=recipe["normalise"]["mean"], std=recipe["normalise"]["std"], temperature=temperature,
                             provenance=provenance, metrics=metrics, parity_images=parity)
    _write_examples(model, recipe, tables["test"], temperature, out_dir / EXAMPLES)
    return {"dir": str(out_dir), "sha256": manifest["sha256"], "parity": manifest["metrics"].get("parity")}
