"""CPU latency of bundles side by side: same threads, interleaved runs, median per model."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from . import bundle, machine, runtime


def median_latency_ms(models: dict[str, Path], input_size: int | dict[str, int], batch: int, threads: int,
                      repeats: int = 30, warmup: int = 3) -> dict[str, float]:
    """Median wall time (ms) of one session.run per model; runs are interleaved so load noise hits all alike."""
    sizes = input_size if isinstance(input_size, dict) else {name: input_size for name in models}
    sessions = {name: runtime.open_session(path, threads) for name, path in models.items()}
    rng = np.random.default_rng(0)
    feeds = {name: {session.get_inputs()[0].name:
                    rng.integers(0, 256, (batch, sizes[name], sizes[name], 3), dtype=np.uint8)}
             for name, session in sessions.items()}
    timings: dict[str, list[float]] = {name: [] for name in models}
    for round_index in range(warmup + repeats):
        for name, session in sessions.items():
            start = time.perf_counter()
            session.run(None, feeds[name])
            if round_index >= warmup:
                timings[name].append((time.perf_counter() - start) * 1000.0)
    return {name: round(float(np.median(values)), 2) for name, values in timings.items()}


def latency_table(bundle_dirs: list[Path], threads: int, batches=(1, 8), repeats: int = 30) -> list[dict]:
    """One row per bundle and batch size: median ms per run and per image, all bundles measured in the same loop."""
    manifests = {Path(d).name: bundle.read_bundle(Path(d)) for d in bundle_dirs}
    models = {name: Path(d) / manifests[name]["model_file"] for name, d in zip(manifests, bundle_dirs)}
    sizes = {name: m["input"]["height"] for name, m in manifests.items()}
    rows = []
    for batch in batches:
        medians = median_latency_ms(models, sizes, batch, threads, repeats=repeats)
        for name, ms in medians.items():
            rows.append({"model": name, "precision": manifests[name].get("precision", "fp32"), "input": sizes[name],
                         "batch": batch, "threads": threads, "median_ms": ms, "ms_per_image": round(ms / batch, 2),
                         "size_mb": round(models[name].stat().st_size / 1e6, 1)})
    return rows


def markdown(rows: list[dict], cpu: str) -> str:
    """The rows as a Markdown table, then the CPU they were measured on."""
    lines = ["| model | precision | input | batch | threads | median ms / run | ms / image | model MB |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['model']} | {r['precision']} | {r['input']} | {r['batch']} | {r['threads']} | {r['median_ms']} "
              f"| {r['ms_per_image']} | {r['size_mb']} |" for r in rows]
    return "\n".join(lines + ["", f"CPU: {cpu}"])


def replace_block(text: str, block: str, begin: str = "<!-- latency:begin -->", end: str = "<!-- latency:end -->") -> str:
    """text with the part between the begin and end markers replaced by block."""
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{block}\n{end}{tail}"


def main(argv: list[str] | None = None) -> None:
    """CLI: python -m hashtagnet.export.latency --threads 1 [--table models/README.md] models/a models/b"""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bundles", nargs="+", type=Path)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--table", type=Path, help="Markdown file whose latency block is rewritten")
    args = parser.parse_args(argv)
    table = markdown(latency_table(args.bundles, args.threads, repeats=args.repeats), machine.cpu_model())
    print(table)
    if args.table:
        args.table.write_text(replace_block(args.table.read_text(), table))


if __name__ == "__main__":
    main()
