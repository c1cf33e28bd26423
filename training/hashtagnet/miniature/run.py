"""A CPU-sized miniature of Mahajan et al. (2018): hashtag pretraining, then transfer to a different label set."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from hashtagnet import REPO_ROOT
from hashtagnet.train.evaluate import evaluate_classifier, predict_logits, topk_accuracy
from hashtagnet.train.loop import fit
from hashtagnet.train.recipe import load_recipe
from hashtagnet.train.transfer import calibrate_temperature, transfer_model

from .datasets import build_miniature_data, shuffled_labels
from .export_miniature import export_miniature
from .report import write_report

RECIPES = REPO_ROOT / "training" / "recipes"
SIZES = {  # pretraining images, target images per class (train / calibration / test), steps (pretrain, transfer)
    "quick": {"pretrain_images": 4000, "train": 5, "calib": 10, "test": 40, "pretrain_steps": 220, "transfer_steps": 90},
    "full": {"pretrain_images": 20000, "train": 5, "calib": 20, "test": 100, "pretrain_steps": 1500, "transfer_steps": 150},
    # For the seed study's CI test only: exercises every arm in seconds; its numbers mean nothing.
    "tiny": {"pretrain_images": 400, "train": 2, "calib": 2, "test": 4, "pretrain_steps": 6, "transfer_steps": 4},
}
PRETRAIN_VARIANTS = {  # name: (recipe overrides, corpus)
    "sqrt_softmax_clean": ({}, "clean"),
    "natural_softmax_clean": ({"sampling": "natural"}, "clean"),
    "sqrt_sigmoid_clean": ({"loss": "sigmoid", "optim": {"base_lr": 0.2}}, "clean"),
    "sqrt_softmax_noisy25": ({}, "noisy"),
}
# Controls: labels shuffled across the clean corpus's images (same label frequencies, no image-tag link).
CONTROL_VARIANTS = {"sqrt_softmax_shuffled": ({}, "shuffled")}


def _recipe(name: str, extra: dict) -> dict:
    return load_recipe(RECIPES / name, extra=extra)


def pretrain(table, variant: dict, size: dict, seed: int, log) -> tuple[torch.nn.Module, dict]:
    """One pretraining run on the hashtag table; variant overrides sampling / loss."""
    recipe = _recipe("miniature-pretrain.yaml", {"seed": seed, "steps": size["pretrain_steps"], **variant})
    model = transfer_model(None, len(table.classes), recipe)
    return model, fit(model, table, recipe, log=log)


def transfer(pretrained, tables: dict, size: dict, seed: int, log, probe: bool = False) -> tuple[torch.nn.Module, dict]:
    """Fine-tune (or linear-probe) on the target train split; scratch when pretrained is None; test top-1/top-5."""
    name = "miniature-linear-probe.yaml" if probe else "miniature-finetune.yaml"
    recipe = _recipe(name, {"seed": seed, "steps": size["transfer_steps"]})
    model = transfer_model(pretrained, len(tables["train"].classes), recipe)
    result = fit(model, tables["train"], recipe, log=log)
    logits = predict_logits(model, tables["test"], recipe)
    result.update({k: round(v, 4) for k, v in topk_accuracy(logits, tables["test"].single_labels()).items()})
    return model, result


def _pretrain_corpora(data: dict, seed: int, controls: bool) -> dict:
    corpora = dict(data["hashtag_tables"])
    if controls:
        corpora["shuffled"] = shuffled_labels(corpora["clean"], seed + 11)
    return corpora


def run_arms(tables: dict, corpora: dict, size: dict, seed: int, log, controls: bool) -> tuple[dict, dict]:
    """Every pretraining variant then its fine-tune, scratch, the linear probe and (controls) the shuffled-label
    pretraining and scratch trained as many steps as pretraining plus fine-tuning; returns runs and fine-tuned models."""
    variants = {**PRETRAIN_VARIANTS, **(CONTROL_VARIANTS if controls else {})}
    runs, pretrained, finetuned = {}, {}, {}
    for name, (variant, corpus) in variants.items():
        pretrained[name], runs[f"pretrain/{name}"] = pretrain(corpora[corpus], variant, size, seed, log)
        finetuned[name], runs[f"finetune/{name}"] = transfer(pretrained[name], tables, size, seed, log)
    _, runs["scratch"] = transfer(None, tables, size, seed, log)
    if controls:
        long = {**size, "transfer_steps": size["pretrain_steps"] + size["transfer_steps"]}
        _, runs["scratch_long"] = transfer(None, tables, long, seed, log)
    _, runs["linear_probe/sqrt_softmax_clean"] = transfer(pretrained["sqrt_softmax_clean"], tables, size, seed, log, probe=True)
    return runs, finetuned


def run(mode: str, out: Path, seed: int, export_dir: Path | None, log=print, controls: bool = True) -> dict:
    """The whole miniature; writes report.json and report.md into `out` and returns the report."""
    started, size = time.perf_counter(), SIZES[mode]
    data = build_miniature_data(out / "data", size, seed, log)
    tables, report = data["tables"], {"mode": mode, "seed": seed, "sizes": size, "data": data["summary"]}
    runs, finetuned = run_arms(tables, _pretrain_corpora(data, seed, controls), size, seed, log, controls)
    best = finetuned["sqrt_softmax_clean"]
    recipe = _recipe("miniature-finetune.yaml", {"seed": seed})
    temperature = calibrate_temperature(predict_logits(best, tables["calib"], recipe), tables["calib"].single_labels())
    test_logits = predict_logits(best, tables["test"], recipe)
    report["calibration"] = {"temperature": round(temperature, 4),
                             "test_uncalibrated": evaluate_classifier(test_logits, tables["test"], 1.0),
                             "test_calibrated": evaluate_classifier(test_logits, tables["test"], temperature)}
    report["runs"] = runs
    report["margin_pretrain_over_scratch"] = round(runs["finetune/sqrt_softmax_clean"]["top1"] - runs["scratch"]["top1"], 4)
    if export_dir:
        report["export"] = export_miniature(best, recipe, tables, temperature, export_dir, report, mode, seed)
    report["seconds"] = round(time.perf_counter() - started, 1)
    write_report(report, out)
    return report


def main(argv: list[str] | None = None) -> dict:
    """CLI: python -m hashtagnet.miniature.run --quick|--full|--tiny [--out DIR] [--seed N] [--no-controls] [--export models/NAME]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_const", const="quick", dest="mode")
    parser.add_argument("--full", action="store_const", const="full", dest="mode")
    parser.add_argument("--out", type=Path, default=Path("runs/miniature"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="1 measured 3-6x faster than 2 on 2 busy shared cores")
    parser.add_argument("--tiny", action="store_const", const="tiny", dest="mode")
    parser.add_argument("--no-controls", dest="controls", action="store_false",
                        help="skip the shuffled-label pretraining and the long scratch run")
    parser.add_argument("--export", type=Path, help="write the fine-tuned model as a bundle here")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    report = run(args.mode or "quick", args.out, args.seed, args.export, controls=args.controls)
    print((args.out / "report.md").read_text())
    return report


if __name__ == "__main__":
    main()
