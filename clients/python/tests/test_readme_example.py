"""The README's example, as a reader would copy it: mypy --strict finds nothing, and it runs against the real service."""

import os
import re
import subprocess
import sys

from conftest import ROOT

CLIENT = ROOT / "clients" / "python" / "imgsense-client"


def example(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", (CLIENT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "the README has one runnable example"
    path = tmp_path / "example.py"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def test_the_readme_example_type_checks_with_mypy_strict(tmp_path):
    env = {**os.environ, "MYPYPATH": str(CLIENT)}
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(example(tmp_path))],
                             env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_readme_example_runs_against_the_service(service_url, tmp_path):
    env = {**os.environ, "IMGSENSE_URL": service_url, "PYTHONPATH": str(CLIENT)}
    env.pop("IMGSENSE_API_KEY", None)
    ran = subprocess.run([sys.executable, str(example(tmp_path))], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    described, flagged = ran.stdout.splitlines()
    assert described.startswith("fr photo ") and "chat" in described, described
    assert flagged.startswith("not flagged [('sexual', "), flagged
