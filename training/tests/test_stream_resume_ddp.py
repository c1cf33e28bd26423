"""A 2-process torchrun (gloo) streaming job killed mid-run and restarted ends with the weights (and the held-out
evaluation) of an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import yaml

from hashtagnet.train.metrics import read_metrics

from stream_fixtures import label_map, write_stream_shards

TRAINING = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-6  # the same reductions in the same order: expected bitwise, allowed float noise
STEPS = 16
# Three 2-process torchrun launches: 40-90 s on the 2 shared CPU cores here, so CI skips it unless asked.
pytestmark = pytest.mark.skipif(os.environ.get("HASHTAGNET_SLOW_TESTS") != "1",
                                reason="slow torchrun kill-and-restart test: set HASHTAGNET_SLOW_TESTS=1 to run it")


def _command(run: str, processes: int = 2, *overrides: str) -> list[str]:
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}",
            "-m", "hashtagnet.train.streaming", "--recipe", "recipe.yaml", "--set", f"checkpoint.dir={run}",
            *[a for o in overrides for a in ("--set", o)]]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": f"{TRAINING}:{TRAINING / 'tests'}", "OMP_NUM_THREADS": "1"}


def _run(run: str, cwd: Path, processes: int = 2, *overrides: str) -> str:
    done = subprocess.run(_command(run, processes, *overrides), cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _kill_after_first_checkpoint(run: str, cwd: Path) -> None:
    job = subprocess.Popen(_command(run), cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    while not (cwd / run / "latest").exists() and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(job.pid, signal.SIGKILL)
    job.wait()


def _setup(tmp_path: Path) -> None:
    shards = write_stream_shards(tmp_path / "shards")
    held_out = write_stream_shards(tmp_path / "val", shards=1)
    label_map().save(tmp_path / "labels.json")
    recipe = {"name": "stream-ddp", "seed": 2, "steps": STEPS, "batch_size": 8, "device": "cpu", "threads": 1,
              "model": {"backbone": "mini_resnet", "options": {"width": 4, "stages": 2}},
              "data": {"sources": shards, "val_sources": held_out, "image_size": 16}, "eval": {"every": 8}, "optim": {"base_lr": 0.2, "warmup_steps": 2},
              "stream": {"label_map": str(tmp_path / "labels.json"), "workers": 2, "scale": [0.3, 1.0]},
              "checkpoint": {"every": 4, "keep_last": 2}}
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe))


def test_a_killed_torchrun_job_restarts_where_it_stopped_and_ends_with_the_same_weights(tmp_path):
    _setup(tmp_path)
    _run("straight", tmp_path)
    _kill_after_first_checkpoint("killed", tmp_path)
    assert not (tmp_path / "killed" / "final.pt").exists(), "the job finished before it was killed"
    stopped_at = int((tmp_path / "killed" / "latest").read_text().strip()[5:12])
    assert stopped_at < STEPS
    _run("killed", tmp_path)
    straight = torch.load(tmp_path / "straight" / "final.pt", weights_only=False)["model"]
    resumed = torch.load(tmp_path / "killed" / "final.pt", weights_only=False)["model"]
    diff = max((straight[k].float() - resumed[k].float()).abs().max().item() for k in straight)
    print(f"killed after step {stopped_at}, restarted: max abs weight difference {diff:.3e} (tolerance {TOLERANCE})")
    assert diff <= TOLERANCE
    evals = [[r for r in read_metrics(tmp_path / run / "metrics.jsonl") if r["kind"] == "eval"]
             for run in ("straight", "killed")]
    assert evals[0][-1] == evals[1][-1] and evals[0][-1]["step"] == STEPS and evals[0][-1]["images"] == 12


def test_a_two_process_job_resumes_as_one_process_from_the_same_step(tmp_path):
    _setup(tmp_path)
    _run("shrunk", tmp_path, 2, "steps=8")
    printed = _run("shrunk", tmp_path, 1, "steps=12")
    rows = [r for r in read_metrics(tmp_path / "shrunk" / "metrics.jsonl") if r["kind"] != "eval"]
    print(printed[-400:])
    assert "re-dealt" in printed and "'resumed_from': 8" in printed and "'steps': 12" in printed
    assert [r["step"] for r in rows] == list(range(1, 13)) and all(r["loss"] == r["loss"] for r in rows)
