"""Not in CI: stream >= 1 M generated records through the training loader and sample the RSS of the main process and
its workers, to show memory stays flat as the data grows. Writes one JSON summary (and the samples) to --out.

python training/scripts/stream_rss.py --records 1000000 --shards-dir /tmp/rss-shards --out /tmp/stream-rss.json
(--distinct 190000: write fewer records and stream them in several passes; writing is the slow part on 2 cores)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
import webdataset as wds
from PIL import Image

from hashtagnet.data.shards import ShardStream
from hashtagnet.labels.label_map import LabelMap

TAGS = [f"tag{i}" for i in range(1000)]


def jpeg_pool(count: int, size: int, rng: np.random.Generator) -> list[bytes]:
    """`count` JPEGs of random pixels, each side in [size, 2 size) (encoding every record would dominate the run)."""
    pool = []
    for _ in range(count):
        h, w = rng.integers(size, 2 * size, 2)
        buffer = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(buffer, format="JPEG", quality=70)
        pool.append(buffer.getvalue())
    return pool


def write_shards(directory: Path, records: int, per_shard: int, size: int) -> list[str]:
    """Records with distinct keys and 1-3 Zipf-drawn hashtags each; images drawn from a pool of 2000 JPEGs."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    pool = jpeg_pool(2000, size, rng)
    zipf = 1.0 / np.arange(1, len(TAGS) + 1)
    zipf /= zipf.sum()
    for shard in range((records + per_shard - 1) // per_shard):
        path = directory / f"shard-{shard:06d}.tar"
        if path.exists():
            continue
        with wds.TarWriter(str(path.with_suffix(".partial"))) as sink:
            for i in range(min(per_shard, records - shard * per_shard)):
                tags = [TAGS[t] for t in rng.choice(len(TAGS), rng.integers(1, 4), p=zipf)]
                sink.write({"__key__": f"{shard:06d}{i:05d}", "jpg": pool[rng.integers(len(pool))], "json": json.dumps({"hashtags": tags})})
        os.replace(path.with_suffix(".partial"), path)
    return sorted(str(p) for p in directory.glob("shard-*.tar"))


def rss_mib(pids: list[int]) -> float:
    """Summed VmRSS of the processes (MiB)."""
    total = 0
    for pid in pids:
        try:
            total += next(int(l.split()[1]) for l in Path(f"/proc/{pid}/status").read_text().splitlines() if l.startswith("VmRSS"))
        except (FileNotFoundError, StopIteration):
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    """Direct child processes (the DataLoader workers)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=0, help="records written (0: --records); the loader cycles them")
    parser.add_argument("--per-shard", type=int, default=5000)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--crop", type=int, default=32)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shards-dir", type=Path, default=Path("/tmp/rss-shards"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/stream-rss.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    urls = write_shards(args.shards_dir, args.distinct or args.records, args.per_shard, args.size)
    written = time.perf_counter() - started
    label_map = LabelMap(list(TAGS), {t: [i] for i, t in enumerate(TAGS)}, [1] * len(TAGS))
    stream = ShardStream(urls, label_map, batch_size=args.batch, size=args.crop, seed=0, sampling="natural", train=True)
    loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=args.workers, prefetch_factor=2)
    samples, seen, tick = [], 0, time.perf_counter()
    for number, (pixels, _, info) in enumerate(loader):
        seen += len(pixels)
        if number % 200 == 0:
            pids = [os.getpid(), *children(os.getpid())]
            samples.append({"records": seen, "seconds": round(time.perf_counter() - tick, 1), "rss_mib": round(rss_mib(pids), 1),
                            "main_rss_mib": round(rss_mib(pids[:1]), 1), "processes": len(pids)})
            print(json.dumps(samples[-1]), flush=True)
        if seen >= args.records:
            break
    seconds = time.perf_counter() - tick
    rss = [s["rss_mib"] for s in samples[1:]] or [0]
    summary = {"records": seen, "distinct_records": args.distinct or args.records, "shards": len(urls), "write_seconds": round(written, 1), "stream_seconds": round(seconds, 1),
               "records_per_second": round(seen / seconds, 1), "workers": args.workers, "crop": args.crop,
               "rss_mib_first": rss[0], "rss_mib_last": rss[-1], "rss_mib_max": max(rss), "rss_mib_min": min(rss),
               "cpu": os.cpu_count(), "samples": samples}
    args.out.write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in summary.items() if k != "samples"}))


if __name__ == "__main__":
    main()
