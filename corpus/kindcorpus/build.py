"""Build the kind corpus: N images split over the kinds by share, each made from its own seed, written with a
labels file (one JSON object per line) and per-source throughput.

    python -m kindcorpus.build --n 50000 --out corpus/out [--jobs 2] [--seed 0] [--max-minutes M]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import time
from pathlib import Path

from .common import KINDS, excluded_packages, fit_longest, save
from .sources import SOURCES, Pools, find_pools

SHARES = {"photo": 0.2, "screenshot": 0.14, "document": 0.12, "chart": 0.13, "drawing": 0.13, "painting": 0.08,
          "map": 0.08, "diagram": 0.12}
LONGEST_SIDE = 1024
_POOLS: Pools | None = None
_OUT: Path | None = None


def kind_plan(n: int, seed: int) -> list[str]:
    """The kind of each of the n items: shares rounded, then shuffled by the seed (the same n and seed, the same plan)."""
    plan = [kind for kind in KINDS for _ in range(round(n * SHARES[kind]))]
    plan = (plan + ["photo"] * n)[:n]
    random.Random(seed).shuffle(plan)
    return plan


def _init(pools: Pools, out: Path) -> None:
    global _POOLS, _OUT
    _POOLS, _OUT = pools, out


def make_item(task: tuple[int, str, int]) -> dict | None:
    """Make item index of the given kind from seed (seed, index); None when its renderer failed."""
    index, kind, seed = task
    rng = random.Random(seed * 1_000_003 + index)
    started = time.perf_counter()
    try:
        image, source = SOURCES[kind](rng, _POOLS)
    except (OSError, ValueError, RuntimeError) as error:
        return {"index": index, "kind": kind, "error": repr(error)[:200]}
    if image is None:
        return {"index": index, "kind": kind, "error": "renderer failed"}
    name = save(fit_longest(image, LONGEST_SIDE), _OUT / "images" / f"{index:06d}", rng, 0.6 if kind == "photo" else 0.25)
    return {"index": index, "file": f"images/{name}", "kind": kind, "source": source,
            "width": image.width, "height": image.height, "seconds": round(time.perf_counter() - started, 3)}


def throughput(records: list[dict], wall: float, jobs: int) -> dict:
    """Images per minute of one worker, per kind, from the seconds each item took."""
    per_kind: dict[str, dict] = {}
    for record in records:
        entry = per_kind.setdefault(record["kind"], {"images": 0, "failed": 0, "seconds": 0.0})
        if "error" in record:
            entry["failed"] += 1
        else:
            entry["images"] += 1
            entry["seconds"] += record["seconds"]
    for entry in per_kind.values():
        entry["images_per_worker_minute"] = round(60 * entry["images"] / max(entry["seconds"], 1e-6), 1)
    return {"wall_seconds": round(wall, 1), "jobs": jobs, "images": sum(e["images"] for e in per_kind.values()),
            "per_kind": per_kind}


def main() -> None:
    """Parse the arguments, find the pools, make the images in parallel, write labels.jsonl and stats.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--max-minutes", type=float, default=0, help="stop starting new items after this long (0: never)")
    parser.add_argument("--chromium-share", type=float, default=0.35, help="share of screenshots taken by Chromium")
    parser.add_argument("--heldout", type=Path, default=None, help="another file of held-out package names")
    args = parser.parse_args()
    (args.out / "images").mkdir(parents=True, exist_ok=True)
    pools = find_pools(args.heldout, args.chromium_share)
    packages = sorted({p["package"] for p in pools.photos})
    print(f"pools: {len(pools.photos)} photos from {packages}, {len(pools.man_pages)} man pages, {len(pools.html)} HTML "
          f"pages, {len(pools.svgs)} SVGs, {len(pools.fonts)} fonts; held out: {sorted(excluded_packages(args.heldout))}", flush=True)
    tasks = [(i, kind, args.seed) for i, kind in enumerate(kind_plan(args.n, args.seed))]
    started, records = time.perf_counter(), []
    with multiprocessing.Pool(args.jobs, initializer=_init, initargs=(pools, args.out)) as pool:
        for record in pool.imap_unordered(make_item, tasks, chunksize=4):
            records.append(record)
            if len(records) % 200 == 0:
                print(f"{len(records)} items, {time.perf_counter() - started:.0f} s", flush=True)
            if args.max_minutes and time.perf_counter() - started > 60 * args.max_minutes:
                pool.terminate()
                break
    records.sort(key=lambda r: r["index"])
    with open(args.out / "labels.jsonl", "w") as handle:
        for record in records:
            if "error" not in record:
                handle.write(json.dumps(record) + "\n")
    stats = throughput(records, time.perf_counter() - started, args.jobs)
    stats.update({"n_requested": args.n, "seed": args.seed, "photo_pool": len(pools.photos), "photo_packages": packages,
                  "heldout_packages": sorted(excluded_packages(args.heldout))})
    (args.out / "stats.json").write_text(json.dumps(stats, indent=1) + "\n")
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
