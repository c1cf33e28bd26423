"""The miniature's JSON report and its markdown table."""

from __future__ import annotations

import json
from pathlib import Path

ROWS = [
    ("hashtag pretrain (sqrt, softmax, 0% noise) + fine-tune", "finetune/sqrt_softmax_clean"),
    ("scratch (same target set, same fine-tune budget)", "scratch"),
    ("linear probe on the pretrained trunk", "linear_probe/sqrt_softmax_clean"),
    ("pretrain with natural sampling + fine-tune", "finetune/natural_softmax_clean"),
    ("pretrain with sigmoid loss + fine-tune", "finetune/sqrt_sigmoid_clean"),
    ("pretrain on 25% tag noise + fine-tune", "finetune/sqrt_softmax_noisy25"),
    ("control: pretrain on labels shuffled across images + fine-tune", "finetune/sqrt_softmax_shuffled"),
    ("control: scratch for pretrain + fine-tune steps", "scratch_long"),
]


def markdown(report: dict) -> str:
    """The comparison table, then calibration, hedging, coverage and de-dup lines."""
    lines = [f"# Miniature ({report['mode']}, seed {report['seed']}, {report.get('seconds', '?')} s)", "",
             "| setting | target top-1 | target top-5 | target steps | pretrain final loss |", "|---|---|---|---|---|"]
    for label, key in ROWS:
        if key not in report["runs"]:
            continue
        run = report["runs"][key]
        pre = report["runs"].get("pretrain/" + key.split("/", 1)[1]) if "/" in key and key != "scratch" else None
        loss = f"{pre['final_loss']:.3f}" if pre else "-"
        lines.append(f"| {label} | {run['top1']:.3f} | {run['top5']:.3f} | {run['steps']} | {loss} |")
    cal = report["calibration"]
    lines += ["", f"Pretrain + fine-tune minus scratch, top-1: **{report['margin_pretrain_over_scratch']:+.3f}**", "",
              f"Temperature {cal['temperature']}: test NLL {cal['test_uncalibrated']['nll']} -> {cal['test_calibrated']['nll']},"
              f" ECE {cal['test_uncalibrated']['ece']} -> {cal['test_calibrated']['ece']}", "",
              "Accuracy by WordNet depth: " + ", ".join(f"{d}: {a:.2f}" for d, a in cal["test_calibrated"]["accuracy_by_depth"].items()),
              "", "Hedging curve (threshold: accuracy / specificity): " + ", ".join(
                  f"{p['threshold']}: {p['accuracy']:.3f}/{p['specificity']:.3f}" for p in cal["test_calibrated"]["hedging_curve"])]
    for corpus, cov in report["data"]["coverage"].items():
        lines.append(f"\nCoverage ({corpus}): {cov['coverage']:.3f} of {cov['images']} images; tags mapped {cov['tags_mapped_to_synset']:.3f},"
                     f" kept {cov['tags_kept_in_vocabulary']:.3f}; top unmapped {cov['top_unmapped_tags'][:5]}")
    for corpus, dd in report["data"]["dedup"].items():
        lines.append(f"\nDe-dup ({corpus}): dropped {dd['dropped']} of {dd['train_images']}"
                     f" (injected leaks: {report['data']['leaked_test_images_injected']})")
    return "\n".join(lines) + "\n"


def write_report(report: dict, out: Path) -> None:
    """report.json and report.md in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    (out / "report.md").write_text(markdown(report))
