"""The CPU recorded beside measured figures: /proc/cpuinfo's model name, else platform.processor()."""

from __future__ import annotations

import platform

from hashtagnet.export import latency, machine


def test_the_model_name_line_of_cpuinfo_is_the_cpu(tmp_path, monkeypatch):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\nflags\t\t: fpu avx2 avx512_vnni sse4_2\n")
    monkeypatch.setattr(machine, "CPUINFO", cpuinfo)
    assert machine.cpu_model() == "Example CPU @ 2.0GHz"
    assert machine.int8_features() == ["avx2", "avx512_vnni"]


def test_without_cpuinfo_the_platform_processor_names_the_cpu(tmp_path, monkeypatch):
    monkeypatch.setattr(machine, "CPUINFO", tmp_path / "missing")
    monkeypatch.setattr(platform, "processor", lambda: "x86_64-fallback")
    assert machine.cpu_model() == "x86_64-fallback"
    assert machine.int8_features() == []


def test_the_latency_table_names_the_cpu_it_was_measured_on():
    row = {"model": "m", "precision": "fp32", "input": 224, "batch": 1, "threads": 1, "median_ms": 2.0,
           "ms_per_image": 2.0, "size_mb": 1.0}
    assert latency.markdown([row], "Example CPU").endswith("| m | fp32 | 224 | 1 | 1 | 2.0 | 2.0 | 1.0 |\n\nCPU: Example CPU")
