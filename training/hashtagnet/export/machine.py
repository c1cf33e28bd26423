"""The CPU a figure was measured on, recorded beside every measured figure (int8 agreement differs with VNNI)."""

from __future__ import annotations

import platform
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
# ONNX Runtime's int8 kernels differ with these: without VNNI, u8s8 products go through VPMADDUBSW, which saturates.
INT8_FEATURES = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")


def _cpuinfo_field(name: str) -> str | None:
    try:
        lines = CPUINFO.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() == name and value.strip():
            return value.strip()
    return None


def cpu_model() -> str:
    """The CPU's model name ("model name" in /proc/cpuinfo), else platform.processor(), else the machine type."""
    return _cpuinfo_field("model name") or platform.processor() or platform.machine() or "unknown"


def int8_features() -> list[str]:
    """The instruction-set extensions among INT8_FEATURES that this CPU reports (empty when unknown)."""
    flags = set((_cpuinfo_field("flags") or "").split())
    return [feature for feature in INT8_FEATURES if feature in flags]
