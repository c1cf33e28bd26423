"""torchrun with 2 CPU processes (gloo) ends where 1 process with the same global batch ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import torch
import yaml

from hashtagnet.data.synth import write_target_folders
from hashtagnet.models.backbones import build_model

TRAINING = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-5  # max |w_2proc - w_1proc| over all weights after STEPS steps (float sums in another order)
STEPS = 6


def _run(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(TRAINING), "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]


def test_two_gloo_processes_match_one_process_with_the_same_global_batch(tmp_path):
    write_target_folders(tmp_path / "data", {"train": 4}, size=16, seed=0)
    recipe = {"name": "ddp-check", "seed": 3, "steps": STEPS, "batch_size": 12, "device": "cpu", "threads": 1,
              # GroupNorm: BatchNorm statistics are per process under DDP (SyncBatchNorm needs CUDA), so they would differ
              "model": {"backbone": "mini_resnet", "options": {"width": 8, "stages": 2, "norm": "group"}},
              "data": {"kind": "folders", "sources": [str(tmp_path / "data" / "train")], "image_size": 16},
              "sampling": "natural", "optim": {"base_lr": 0.5, "warmup_steps": 2}}
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe))
    train = ["-m", "hashtagnet.train.loop", "--recipe", "recipe.yaml"]
    _run(train + ["--set", "checkpoint.dir=one"], tmp_path)
    _run(["-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", *train, "--set", "checkpoint.dir=two"], tmp_path)
    one = torch.load(tmp_path / "one" / "final.pt", weights_only=False)
    two = torch.load(tmp_path / "two" / "final.pt", weights_only=False)
    assert one["state"]["step"] == two["state"]["step"] == STEPS
    diff = max((one["model"][k] - two["model"][k]).abs().max().item() for k in one["model"])
    print(f"2 processes vs 1: max abs weight difference {diff:.3e} after {STEPS} steps (tolerance {TOLERANCE})")
    assert diff <= TOLERANCE, diff
    torch.manual_seed(recipe["seed"])
    initial = build_model("mini_resnet", 9, **recipe["model"]["options"]).state_dict()
    moved = max((one["model"][k] - initial[k]).abs().max().item() for k in initial)
    assert moved > 100 * TOLERANCE, f"training barely moved the weights ({moved}); the comparison would prove nothing"


def test_a_linear_probe_trains_under_two_gloo_processes_with_the_trunk_frozen(tmp_path):
    write_target_folders(tmp_path / "data", {"train": 2}, size=16, seed=0)
    recipe = {"name": "ddp-probe", "seed": 3, "steps": 3, "batch_size": 8, "device": "cpu", "threads": 1,
              "model": {"backbone": "mini_resnet", "options": {"width": 4, "stages": 2}, "freeze_trunk": True},
              "data": {"kind": "folders", "sources": [str(tmp_path / "data" / "train")], "image_size": 16},
              "sampling": "natural", "checkpoint": {"dir": "probe"}}
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe))
    _run(["-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "-m", "hashtagnet.train.loop",
          "--recipe", "recipe.yaml"], tmp_path)
    trained = torch.load(tmp_path / "probe" / "final.pt", weights_only=False)["model"]
    torch.manual_seed(recipe["seed"])
    initial = build_model("mini_resnet", 9, **recipe["model"]["options"]).state_dict()
    assert all(torch.equal(trained[k], initial[k]) for k in initial if k.startswith("trunk."))
    assert not torch.equal(trained["head.weight"], initial["head.weight"])
