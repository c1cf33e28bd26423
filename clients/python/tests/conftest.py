"""The real imgsense service from this checkout, started once for the session on a free port."""

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
SKIMAGE = Path("/usr/lib/python3/dist-packages/skimage/data")
FIXTURES = ROOT / "test" / "fixtures"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def service_url():
    assert (SKIMAGE / "chelsea.png").exists(), "run scripts/install-deps.sh (python3-skimage)"
    port = free_port()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warn", "SHUTDOWN_GRACE_MS": "0"}
    server = subprocess.Popen(["node", "--import", "tsx", "src/main.ts"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, f"the service exited with {server.returncode}"
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the service was not ready within 90 s"
            time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
