"""The vocabulary pass at scale: tag counts as a map over shards in parallel processes (the same map runs per node
on a slice of the shards), reduced by summing; each distinct tag then canonicalised once, stop-listed and aligned
with a target label set; writes the label map the streaming trainer reads and a coverage report."""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path
from typing import Iterator

import webdataset as wds

from hashtagnet.data.imagenet import imagenet_class_ids
from hashtagnet.data.stream import expand_sources
from hashtagnet.data.tar_members import tar_members

from .admission import build_label_map, nearest_target, stop_list  # noqa: F401 (the pass's public names)
from .emission import DEFAULT_FLOOR, fit_factors, fit_factors_with_report  # noqa: F401
from .hashtags import default_canonicaliser, extract_hashtags, normalise_tag
from .label_map import LabelMap
from .wordnet_graph import load_wordnet, synset

REVIEW_FILE = "mapping.tsv"


def metadata_path(url: str) -> Path:
    """The per-shard metadata file the shard writer puts beside shard-N.tar: shard-N.meta.jsonl, a line per record."""
    return Path(url).with_suffix(".meta.jsonl")


def _metadata(url: str) -> Iterator[dict]:
    """Each record's json and txt members (as webdataset groups them: by name up to the first dot of the basename);
    from the shard's metadata file alone when it has one (no tar is opened)."""
    if not url.startswith("pipe:") and metadata_path(url).exists():
        with metadata_path(url).open("rb") as lines:
            for line in filter(bytes.strip, lines):
                yield {"json": line, "txt": json.loads(line).get("caption", "").encode("utf-8")}
        return
    if url.startswith("pipe:"):
        samples = wds.tarfile_samples([{"url": url}], handler=wds.warn_and_continue,
                                      select_files=lambda name: name.endswith((".json", ".txt")))
        yield from samples
        return
    key, sample = None, {}
    for name, data in tar_members(Path(url), (".json", ".txt")):
        folder, _, base = name.rpartition("/")
        stem, _, ext = base.partition(".")
        if (folder, stem) != key and sample:
            yield sample
            sample = {}
        key, sample[ext] = (folder, stem), data
    if sample:
        yield sample


def count_shard(url: str) -> Counter:
    """Map: images per normalised tag in one shard (a tag counts once per image); image bytes are skipped."""
    counts: Counter = Counter()
    for sample in _metadata(url):
        meta = json.loads(sample["json"]) if "json" in sample else {}
        tags = [*meta.get("hashtags", []), *extract_hashtags(sample.get("txt", b"").decode("utf-8", "replace"))]
        counts.update({normalise_tag(t) for t in tags} - {""})
    return counts


def count_tags(urls: list[str], processes: int = 2, mapper=count_shard) -> Counter:
    """Map over shards with `processes` workers, reduce by summing."""
    total: Counter = Counter()
    with Pool(processes) as pool:
        for counts in pool.imap_unordered(mapper, urls):
            total.update(counts)
    return total


def count_label_sets(url: str, label_map_path: str) -> Counter:
    """Map of the second pass: images per distinct sorted label set under a label map (for the sampling factors)."""
    label_map, counts = LabelMap.load(Path(label_map_path)), Counter()
    for sample in _metadata(url):
        meta = json.loads(sample["json"]) if "json" in sample else {}
        labels = label_map.labels(sample.get("txt", b"").decode("utf-8", "replace"), list(meta.get("hashtags", [])))
        if labels:
            counts[",".join(map(str, labels))] += 1
    return counts


def add_vocab_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the vocabulary pass (shared by this module's CLI and `hashtagnet vocab`)."""
    parser.add_argument("--shards", action="append", default=[], help="shard paths, globs or {a..b} brace lists")
    parser.add_argument("--out", type=Path, required=True, help="directory for counts, label_map.json, coverage.json")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--node-rank", type=int, default=0)
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--targets", help="'imagenet' (ILSVRC-2012 synsets, hyponyms mapped up, broader tags kept as "
                        "broad concepts) or a file of wnids")
    parser.add_argument("--top-k", type=int, default=0, help="without targets: the K most frequent synsets")
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--floor", type=float, default=DEFAULT_FLOOR, help="least repeat factor of a labelled record")


def _targets(spec: str | None) -> list[str] | None:
    if not spec:
        return None
    return imagenet_class_ids() if spec == "imagenet" else Path(spec).read_text().split()


def write_review(out: Path, review: list[list]) -> Path:
    """mapping.tsv: every tag with its images, class (or none), the synset's gloss and why, for a person to review."""
    load_wordnet()
    lines = ["tag\timages\tclass\tgloss\twhy"]
    for tag, count, wnid, why in review:
        gloss = synset(wnid).definition() if wnid else ""
        lines.append(f"{tag}\t{count}\t{wnid}\t{gloss}\t{why}")
    (out / REVIEW_FILE).write_text("\n".join(lines) + "\n")
    return out / REVIEW_FILE


def _map(args) -> dict:
    urls = expand_sources(args.shards)[args.node_rank::args.nodes]
    started = time.perf_counter()
    counts = count_tags(urls, args.processes)
    seconds = time.perf_counter() - started
    (args.out / f"counts-{args.node_rank:04d}.json").write_text(json.dumps(counts))
    return {"shards": len(urls), "tag_images": sum(counts.values()), "seconds": round(seconds, 2),
            "seconds_per_million_tags": round(seconds / max(sum(counts.values()), 1) * 1e6, 2)}


def _reduce(args) -> dict:
    counts = Counter()
    for part in sorted(args.out.glob("counts-*.json")):
        counts.update(json.loads(part.read_text()))
    label_map, report = build_label_map(counts, default_canonicaliser(photo=True), targets=_targets(args.targets),
                                        top_k=args.top_k, min_count=args.min_count)
    label_map.save(args.out / "label_map.json")
    write_review(args.out, report.pop("review"))
    (args.out / "coverage.json").write_text(json.dumps(report, indent=1))
    return {k: v for k, v in report.items() if not k.startswith("top_")} | {"review": str(args.out / REVIEW_FILE)}


def _factors(args) -> dict:
    path = args.out / "label_map.json"
    mapper = functools.partial(count_label_sets, label_map_path=str(path))
    sets = count_tags(expand_sources(args.shards), args.processes, mapper)
    fitted, emission = fit_factors_with_report(LabelMap.load(path), sets, floor=args.floor)
    fitted.save(path)
    return {"distinct_label_sets": len(sets), "images": sum(sets.values()), **emission}


STAGES = {"map": _map, "reduce": _reduce, "factors": _factors}


def run_vocab_stages(args, stages: tuple[str, ...]) -> dict:
    """Run the named stages in order (map, reduce, factors) with parsed `add_vocab_arguments` options."""
    args.out.mkdir(parents=True, exist_ok=True)
    return {stage: STAGES[stage](args) for stage in stages}


def main(argv: list[str] | None = None) -> dict:
    """CLI. One machine: `run --shards P --out DIR`; many: `map --node-rank i --nodes n` on each, then `reduce`;
    then `factors` (the second pass; prints how many records the fit would never emit, and with the floor)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("run", "map", "reduce", "factors"))
    add_vocab_arguments(parser)
    args = parser.parse_args(argv)
    result = run_vocab_stages(args, (args.command,) if args.command != "run" else ("map", "reduce"))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
