"""The miniature over many seeds: every arm's target top-1 as mean ± sd, and each claim kept only if the spread allows."""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import date
from pathlib import Path

import torch

from hashtagnet.export import machine

from .run import run
from .stats import ALPHA, mean_sd, paired_claim

ARMS = [  # label, run key
    ("hashtag pretrain (sqrt, softmax, clean) + fine-tune", "finetune/sqrt_softmax_clean"),
    ("scratch, fine-tune budget", "scratch"),
    ("scratch, pretrain + fine-tune steps (control)", "scratch_long"),
    ("pretrain on shuffled labels + fine-tune (control)", "finetune/sqrt_softmax_shuffled"),
    ("linear probe on the pretrained trunk", "linear_probe/sqrt_softmax_clean"),
    ("pretrain, natural sampling + fine-tune", "finetune/natural_softmax_clean"),
    ("pretrain, sigmoid loss + fine-tune", "finetune/sqrt_sigmoid_clean"),
    ("pretrain on 25% tag noise + fine-tune", "finetune/sqrt_softmax_noisy25"),
]
CLAIMS = [  # claim, a, b: the claim is "a beats b"
    ("hashtag pretraining beats scratch at the same fine-tune budget", "finetune/sqrt_softmax_clean", "scratch"),
    ("hashtag pretraining beats scratch trained as many steps in all", "finetune/sqrt_softmax_clean", "scratch_long"),
    ("the hashtags matter: real labels beat shuffled labels", "finetune/sqrt_softmax_clean", "finetune/sqrt_softmax_shuffled"),
    ("pretraining on shuffled labels still beats scratch (the images alone help)", "finetune/sqrt_softmax_shuffled", "scratch"),
    ("square-root sampling beats natural sampling", "finetune/sqrt_softmax_clean", "finetune/natural_softmax_clean"),
    ("softmax beats per-class sigmoid", "finetune/sqrt_softmax_clean", "finetune/sqrt_sigmoid_clean"),
    ("clean tags beat 25% tag noise", "finetune/sqrt_softmax_clean", "finetune/sqrt_softmax_noisy25"),
    ("pretraining on 25% tag noise still beats scratch", "finetune/sqrt_softmax_noisy25", "scratch"),
    ("full fine-tuning beats a linear probe", "finetune/sqrt_softmax_clean", "linear_probe/sqrt_softmax_clean"),
]
RULE = (f"a claim 'a beats b' holds when the paired two-sided t-test over seeds (difference per seed, df = seeds - 1) "
        f"gives p < {ALPHA} and the mean difference is positive; 'beyond 2 sd' marks the stricter |mean| > 2 sd of the "
        f"difference; claims that do not hold are dropped from the prose")


def seed_report(mode: str, out: Path, seed: int, log) -> dict:
    """One seed's full miniature (with controls), reused from out/seed-N/report.json when already there."""
    folder = out / f"seed-{seed}"
    done = folder / "report.json"
    if done.exists():
        report = json.loads(done.read_text())
        if report.get("mode") == mode and "scratch_long" in report.get("runs", {}):
            return report
    report = run(mode, folder, seed, None, log=log, controls=True)
    shutil.rmtree(folder / "data", ignore_errors=True)
    return report


def summarise(reports: list[dict]) -> dict:
    """Per arm: values, mean, sd; per claim: the paired statistics; plus the calibration NLL change."""
    top1 = {key: [r["runs"][key]["top1"] for r in reports] for _, key in ARMS}
    arms = {key: {"label": label, "top1": top1[key], **dict(zip(("mean", "sd"), mean_sd(top1[key])))} for label, key in ARMS}
    claims = [{"claim": claim, "a": a, "b": b, **paired_claim(top1[a], top1[b])} for claim, a, b in CLAIMS]
    nll = {k: [r["calibration"][k]["nll"] for r in reports] for k in ("test_uncalibrated", "test_calibrated")}
    claims.append({"claim": "temperature calibration lowers test NLL", "a": "test_uncalibrated NLL",
                   "b": "test_calibrated NLL", **paired_claim(nll["test_uncalibrated"], nll["test_calibrated"])})
    return {"arms": arms, "claims": claims, "rule": RULE}


def verdict(claim: dict) -> str:
    """yes, no, or no with the opposite claim holding."""
    return "**yes**" if claim["holds"] else "no: the reverse holds" if claim["reverse_holds"] else "no"


def markdown(study: dict) -> str:
    """The arm table (mean ± sd) and the claim table (difference mean ± sd, wins, t, p, verdict)."""
    head = study["header"]
    lines = [f"Miniature `--{head['mode']}`, seeds {head['seeds'][0]}-{head['seeds'][-1]} ({len(head['seeds'])} seeds), "
             f"{head['date']}, {head['seconds']:.0f} s of runs in all on {head['cpu']} (2 shared cores, nice 19).", "",
             f"`{head['command']}`", "", "| arm | target top-1, mean ± sd |", "|---|---|"]
    lines += [f"| {arm['label']} | {arm['mean']:.3f} ± {arm['sd']:.3f} |" for arm in study["arms"].values()]
    lines += ["", "| claim (a beats b) | a - b, mean ± sd | a ahead | t | p | beyond 2 sd | holds |", "|---|---|---|---|---|---|---|"]
    for c in study["claims"]:
        t, p = ("-", "-") if c["t"] is None else (f"{c['t']:.2f}", f"{c['p']:.2g}")
        lines.append(f"| {c['claim']} | {c['mean_diff']:+.3f} ± {c['sd_diff']:.3f} | {c['wins']}/{c['seeds']} | "
                     f"{t} | {p} | {'yes' if c['beyond_2sd'] else 'no'} | {verdict(c)} |")
    lines += ["", f"Rule: {study['rule']}."]
    return "\n".join(lines) + "\n"


def study(mode: str, seeds: list[int], out: Path, command: str, log=print) -> dict:
    """Run (or reuse) every seed, then write study.json and study.md into `out`."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    reports = []
    for seed in seeds:
        reports.append(seed_report(mode, out, seed, log))
        log(f"[study] seed {seed} done, {time.perf_counter() - started:.0f} s")
    result = {"header": {"mode": mode, "seeds": seeds, "date": date.today().isoformat(), "command": command,
                         "seconds": round(sum(r["seconds"] for r in reports), 1),  # seeds' own run times (reused or not)
                         "cpu": machine.cpu_model()},
              **summarise(reports)}
    (out / "study.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "study.md").write_text(markdown(result))
    return result


def main(argv: list[str] | None = None) -> dict:
    """CLI: python -m hashtagnet.miniature.study --seeds 10 [--first-seed 0] [--quick|--tiny] [--out DIR]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--quick", action="store_const", const="quick", dest="mode")
    parser.add_argument("--tiny", action="store_const", const="tiny", dest="mode")
    parser.add_argument("--out", type=Path, default=Path("runs/miniature-study"))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    mode = args.mode or "quick"
    command = (f"python -m hashtagnet.miniature.study --seeds {args.seeds} --first-seed {args.first_seed} "
               f"--{mode} --out {args.out}")
    result = study(mode, seeds, args.out, command, log=lambda line: None)
    print((args.out / "study.md").read_text())
    return result


if __name__ == "__main__":
    main()
