"""The prepared GPU check (issue 15, item 8): bf16 training images/s of the large backbones, then a 2-process NCCL
smoke test of the streaming trainer (torchrun --nproc_per_node 2); prints one JSON summary. Under 5 minutes of GPU.

    PYTHONPATH=training ~/.cache/hashtagnet-venv/bin/python training/scripts/gpu_check.py [--out DIR]

Without CUDA it exits 2 at once with a message saying so (nothing is measured). With one GPU the throughput runs
and the NCCL test is reported as not run: NCCL refuses two ranks on one device. Exit 0 only when everything ran."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import yaml

TRAINING = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TRAINING / "tests"))
from stream_fixtures import label_map, write_stream_shards  # noqa: E402  (the streaming tests' generated shards)

NO_CUDA_EXIT = 2
# The large backbones: the pretraining recipes' resnext101_32x8d and the served family's largest, EfficientNet-Lite2.
THROUGHPUT = [("resnext101_32x8d", 224, 128), ("efficientnet-lite2", 260, 128)]
STEPS, WARMUP, TIMEOUT_S = 30, 10, 150
SMOKE_STEPS = 40


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": f"{TRAINING}:{TRAINING / 'tests'}", "OMP_NUM_THREADS": "2"}


def throughput(model: str, size: int, batch: int) -> dict:
    """One hashtagnet.train.throughput run (bf16 autocast, channels_last, SGD steps on device-resident input)."""
    command = [sys.executable, "-m", "hashtagnet.train.throughput", "--model", model, "--size", str(size),
               "--batch", str(batch), "--steps", str(STEPS), "--warmup", str(WARMUP), "--device", "cuda"]
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=TIMEOUT_S)
    if done.returncode != 0:
        return {"model": model, "error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def nccl_smoke(work: Path) -> dict:
    """2 ranks, NCCL, generated shards, a small net: finishes, evaluates, checkpoints; reads back its metrics."""
    shards = write_stream_shards(work / "shards", shards=4, per_shard=24)
    held_out = write_stream_shards(work / "val", shards=1)
    label_map().save(work / "labels.json")
    recipe = {"name": "gpu-nccl-smoke", "seed": 0, "steps": SMOKE_STEPS, "batch_size": 32, "device": "cuda",
              "model": {"backbone": "mini_resnet", "options": {"width": 16, "stages": 3}},
              "data": {"sources": shards, "val_sources": held_out, "image_size": 32}, "eval": {"every": 20},
              "stream": {"label_map": str(work / "labels.json"), "workers": 2}, "log": {"every": 5},
              "checkpoint": {"dir": str(work / "run"), "every": 20, "keep_last": 1}}
    (work / "recipe.yaml").write_text(yaml.safe_dump(recipe))
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               "-m", "hashtagnet.train.streaming", "--recipe", str(work / "recipe.yaml")]
    started = time.perf_counter()
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=TIMEOUT_S)
    result = {"returncode": done.returncode, "seconds": round(time.perf_counter() - started, 1)}
    if done.returncode != 0:
        return {**result, "ok": False, "error": done.stderr[-2000:]}
    rows = [json.loads(line) for line in (work / "run" / "metrics.jsonl").read_text().splitlines()]
    steps = [r for r in rows if r.get("kind") != "eval"]
    evals = [r for r in rows if r.get("kind") == "eval"]
    final = torch.load(work / "run" / "final.pt", map_location="cpu", weights_only=False)
    return {**result, "ok": final["step"] == SMOKE_STEPS and bool(evals), "final_step": final["step"],
            "last_loss": steps[-1].get("loss") if steps else None, "images_per_s": steps[-1].get("images_per_s") if steps else None,
            "eval": evals[-1] if evals else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="also write the summary here as gpu_check.json")
    args = parser.parse_args(argv)
    if not torch.cuda.is_available():
        print(f"gpu_check: no CUDA device (torch {torch.__version__}, CUDA build {torch.version.cuda}): "
              "nothing measured. Run it on a machine with 1+ NVIDIA GPUs (2 for the NCCL smoke test).", file=sys.stderr)
        return NO_CUDA_EXIT
    started = time.perf_counter()
    devices = torch.cuda.device_count()
    summary = {"devices": [torch.cuda.get_device_name(i) for i in range(devices)], "torch": torch.__version__,
               "cuda": torch.version.cuda, "nccl": ".".join(map(str, torch.cuda.nccl.version())),
               "throughput": [throughput(*spec) for spec in THROUGHPUT]}
    if devices >= 2:
        with tempfile.TemporaryDirectory() as work:
            summary["nccl_smoke"] = nccl_smoke(Path(work))
    else:
        summary["nccl_smoke"] = {"ok": False, "not_run": f"needs 2 CUDA devices, found {devices} "
                                                         "(NCCL refuses two ranks on one device)"}
    summary["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(summary, indent=1))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "gpu_check.json").write_text(json.dumps(summary, indent=1) + "\n")
    ran = all("error" not in row for row in summary["throughput"]) and summary["nccl_smoke"]["ok"]
    return 0 if ran else 1


if __name__ == "__main__":
    sys.exit(main())
