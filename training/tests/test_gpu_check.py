"""The prepared GPU check: on a machine without CUDA it exits at once with a message saying so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TRAINING = Path(__file__).resolve().parents[1]


def test_without_cuda_the_gpu_check_exits_2_and_says_nothing_was_measured():
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "PYTHONPATH": str(TRAINING)}
    done = subprocess.run([sys.executable, str(TRAINING / "scripts" / "gpu_check.py")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "gpu_check: no CUDA device" in done.stderr and "nothing measured" in done.stderr
    assert done.stdout == ""
