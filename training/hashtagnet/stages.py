"""The CLI's stages as functions: tagged photos to shards, the vocabulary, evaluation of a checkpoint on labelled
held-out shards (written into a bundle's manifest), each returning what it prints."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import torch

from hashtagnet.data.corpus import labelled_table
from hashtagnet.data.shard_writer import evaluation_hashes, write_shards
from hashtagnet.data.stream import HashtagStream, expand_sources
from hashtagnet.data.tags_file import read_tags_file
from hashtagnet.export import bundle
from hashtagnet.export.from_checkpoint import load_trained
from hashtagnet.labels.emission import DEFAULT_FLOOR
from hashtagnet.labels.vocab_pass import REVIEW_FILE, run_vocab_stages
from hashtagnet.train.evaluate import evaluate_classifier, predict_logits

REVIEW_LINES = 25


def shards_stage(tags_file: str, out: Path, *, per_shard: int = 1000, dedup_against: list[str] = (), seed: int = 0,
                 max_side: int | None = None, prefix: str = "shard", labels: dict | None = None, photos=None) -> dict:
    """Shards of the tagged photos (or `photos`, already read), without near-duplicates of the evaluation photos."""
    photos = photos if photos is not None else read_tags_file(tags_file)
    evaluation = [p for f in dedup_against for p in read_tags_file(f)]
    report = write_shards(photos, Path(out), prefix=prefix, per_shard=per_shard, seed=seed, max_side=max_side,
                          dedup_against=evaluation_hashes(evaluation), labels=labels)
    if report.records == 0:
        raise ValueError(f"{tags_file or out}: no readable photo left to write")
    return report.summary() | {"first_shard": report.shards[0], "pattern": _pattern(report.shards, prefix, out)}


def _pattern(shards: list[str], prefix: str, out: Path) -> str:
    """The brace pattern naming every written shard: DIR/shard-{000000..000009}.tar."""
    last = len(shards) - 1
    return str(Path(out) / f"{prefix}-{{000000..{last:06d}}}.tar") if last else shards[0]


def vocab_stage(shards: list[str], out: Path, *, targets: str | None = None, top_k: int = 0, min_count: int = 1,
                floor: float = DEFAULT_FLOOR, processes: int = 2, log=print) -> dict:
    """Map, reduce and factor passes over the shards' metadata; logs the head of the review table and how many
    records the fit alone, and with the floor, would never emit."""
    args = Namespace(shards=list(shards), out=Path(out), processes=processes, node_rank=0, nodes=1, targets=targets,
                     top_k=top_k, min_count=min_count, floor=floor)
    result = run_vocab_stages(args, ("map", "reduce", "factors"))
    review = (Path(out) / REVIEW_FILE).read_text().splitlines()
    log(f"tag -> class, for review ({Path(out) / REVIEW_FILE}, {len(review) - 1} tags; first {REVIEW_LINES}):")
    for line in review[1:REVIEW_LINES + 1]:
        log("  " + line)
    factors = result["factors"]
    log(f"records never emitted: {factors['never_emitted']} of {factors['records']} with floor {factors['floor']} "
        f"(without the floor: {factors['never_emitted_without_floor']})")
    return result


def evaluation_table(sources: list[str], classes: list[str], size: int):
    """Held-out records that carry a `label` (a class id), decoded by the trainers' evaluation rule."""
    records = (r for r in HashtagStream(expand_sources(sources)) if r.label is not None)
    table = labelled_table(records, size, classes)
    if len(table) == 0:
        raise ValueError(f"{sources}: no record with a `label` among the checkpoint's classes")
    return table


def evaluate_stage(checkpoint: Path, sources: list[str], bundle_dir: Path | None = None) -> dict:
    """Top-1/top-5, NLL and ECE of a checkpoint on labelled shards (at the bundle's temperature when given, and then
    written into its manifest as metrics.evaluation)."""
    model, recipe, classes = load_trained(Path(checkpoint))
    table = evaluation_table(sources, classes, int(recipe["data"]["image_size"]))
    manifest = bundle.read_bundle(bundle_dir) if bundle_dir else None
    temperature = float(manifest["output"].get("temperature", 1.0)) if manifest else 1.0
    with torch.no_grad():
        logits = predict_logits(model, table, recipe)
    result = evaluate_classifier(logits, table, temperature)
    summary = {k: result[k] for k in ("top1", "top5", "nll", "ece")} | {"images": len(table), "temperature": temperature,
                                                                         "sources": list(sources)}
    if manifest is not None:
        manifest["metrics"]["evaluation"] = summary
        bundle.write_manifest(bundle_dir, manifest)
    return summary


def print_json(result: dict) -> dict:
    """Print a stage's result as one JSON line and return it."""
    print(json.dumps(result, default=str))
    return result
