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

import numpy as np
import webdataset as wds

from hashtagnet.data.imagenet import imagenet_class_ids
from hashtagnet.data.stream import expand_sources
from hashtagnet.data.tar_members import tar_members
from hashtagnet.train.sampling import class_factors

from .hashtags import Canonicaliser, default_canonicaliser, extract_hashtags, normalise_tag
from .label_map import LabelMap
from .wordnet_graph import parents

STOP_LIST = Path(__file__).parent / "resources" / "non_visual_tags.txt"


def stop_list(path: Path = STOP_LIST) -> set[str]:
    """The normalised tags never admitted (comments and blank lines ignored)."""
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def _metadata(url: str) -> Iterator[dict]:
    """Each record's json and txt members (as webdataset groups them: by name up to the first dot of the basename)."""
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


def fit_factors(label_map: LabelMap, label_sets: Counter, mode: str = "sqrt") -> LabelMap:
    """The label map with class factors fitted to the data's label sets and scaled to a mean record weight of 1;
    class counts become exact images per class."""
    sets = [[int(c) for c in key.split(",")] for key in label_sets]
    many = np.array(list(label_sets.values()), dtype=np.float64)
    factors = class_factors(sets, len(label_map.classes), mode, multiplicity=many)
    weights = np.array([factors[s].mean() for s in sets])
    factors /= max(float((weights * many).sum() / many.sum()), 1e-300)
    counts = np.zeros(len(label_map.classes), dtype=np.int64)
    for labels, n in zip(sets, many):
        counts[labels] += int(n)
    return LabelMap(label_map.classes, label_map.tags, counts.tolist(), factors.tolist())


@functools.lru_cache(maxsize=1 << 16)
def nearest_target(wnid: str, targets: frozenset[str]) -> str | None:
    """The target that is wnid itself or its closest hypernym (breadth first, ties by id), else None."""
    level, seen = [wnid], set()
    while level:
        hits = sorted(w for w in level if w in targets)
        if hits:
            return hits[0]
        seen.update(level)
        level = sorted({p for w in level for p in parents(w)} - seen)
    return None


def _admit(tag: str, canon: Canonicaliser, stop: set[str], targets: frozenset[str] | None) -> tuple[str | None, str]:
    if tag in stop:
        return None, "stop-list"
    mapping = canon.map_tag(tag)
    if mapping.wnid is None:
        return None, "no noun synset"
    if targets is None:
        return mapping.wnid, mapping.lemma or ""
    target = nearest_target(mapping.wnid, targets)
    if target is None:
        return None, f"{mapping.lemma} ({mapping.wnid}) under no target"
    return target, f"{mapping.lemma} under {target}"


def build_label_map(tag_counts: Counter, canon: Canonicaliser, *, targets: list[str] | None = None, top_k: int = 0,
                    min_count: int = 1, stop: set[str] | None = None, report_top: int = 30) -> tuple[LabelMap, dict]:
    """Classes (the targets in their order, or the top_k synsets), tag -> class, counts, and what was admitted and
    dropped. counts[c] sums its tags' image counts: an upper bound when an image carries two tags of one class."""
    stop, target_set = stop if stop is not None else stop_list(), frozenset(targets) if targets else None
    admitted, dropped, synset_counts = {}, Counter(), Counter()
    for tag, count in sorted(tag_counts.items(), key=lambda item: (-item[1], item[0])):
        wnid, why = _admit(tag, canon, stop, target_set) if count >= min_count else (None, "below min_count")
        if wnid is None:
            dropped[(tag, why)] += count
            continue
        admitted[tag] = (wnid, why)
        synset_counts[wnid] += count
    ranked = [w for w, _ in sorted(synset_counts.items(), key=lambda item: (-item[1], item[0]))]
    classes = [t for t in targets if t in synset_counts] if targets else ranked[:top_k or None]
    index = {w: i for i, w in enumerate(classes)}
    tags = {tag: [index[w]] for tag, (w, _) in admitted.items() if w in index}
    total = sum(tag_counts.values())
    report = {"distinct_tags": len(tag_counts), "tag_images": total, "classes": len(classes),
              "admitted_tags": len(tags), "admitted_share": round(sum(tag_counts[t] for t in tags) / max(total, 1), 4),
              "top_admitted": [[t, tag_counts[t], admitted[t][1]] for t in list(tags)[:report_top]],
              "top_dropped": [[t, c, why] for (t, why), c in dropped.most_common(report_top)]}
    return LabelMap(classes, tags, [synset_counts[w] for w in classes]), report


def _targets(spec: str | None) -> list[str] | None:
    if not spec:
        return None
    return imagenet_class_ids() if spec == "imagenet" else Path(spec).read_text().split()


def main(argv: list[str] | None = None) -> dict:
    """CLI. One machine: `run --shards P --out DIR`; many: `map --node-rank i --nodes n` on each, then `reduce`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("run", "map", "reduce", "factors"))
    parser.add_argument("--shards", action="append", default=[], help="shard paths, globs or {a..b} brace lists")
    parser.add_argument("--out", type=Path, required=True, help="directory for counts, label_map.json, coverage.json")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--node-rank", type=int, default=0)
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--targets", help="'imagenet' (ILSVRC-2012 synsets, hyponyms mapped up) or a file of wnids")
    parser.add_argument("--top-k", type=int, default=0, help="without targets: the K most frequent synsets")
    parser.add_argument("--min-count", type=int, default=1)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    result: dict = {}
    if args.command in ("run", "map"):
        urls = expand_sources(args.shards)[args.node_rank::args.nodes]
        started = time.perf_counter()
        counts = count_tags(urls, args.processes)
        seconds = time.perf_counter() - started
        (args.out / f"counts-{args.node_rank:04d}.json").write_text(json.dumps(counts))
        result["map"] = {"shards": len(urls), "tag_images": sum(counts.values()), "seconds": round(seconds, 2),
                         "seconds_per_million_tags": round(seconds / max(sum(counts.values()), 1) * 1e6, 2)}
    if args.command in ("run", "reduce"):
        counts = Counter()
        for part in sorted(args.out.glob("counts-*.json")):
            counts.update(json.loads(part.read_text()))
        label_map, report = build_label_map(counts, default_canonicaliser(), targets=_targets(args.targets),
                                            top_k=args.top_k, min_count=args.min_count)
        label_map.save(args.out / "label_map.json")
        (args.out / "coverage.json").write_text(json.dumps(report, indent=1))
        result["reduce"] = {k: v for k, v in report.items() if not k.startswith("top_")}
    if args.command == "factors":  # second pass over the shards, after reduce wrote label_map.json
        path = args.out / "label_map.json"
        mapper = functools.partial(count_label_sets, label_map_path=str(path))
        sets = count_tags(expand_sources(args.shards), args.processes, mapper)
        fit_factors(LabelMap.load(path), sets).save(path)
        result["factors"] = {"distinct_label_sets": len(sets), "images": sum(sets.values())}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
