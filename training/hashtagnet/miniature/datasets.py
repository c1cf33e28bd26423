"""The miniature's data: synthetic hashtag shards (clean and 25% noise), a labelled target set, leaks to de-dup."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hashtagnet.data.corpus import ImageTable, caption_coverage, hashtag_table, labelled_table
from hashtagnet.data.dedup import drop_near_duplicates
from hashtagnet.data.stream import HashtagStream, folder_records
from hashtagnet.data.synth import build_concepts, caption_for, captions_for, render_source_images, write_shards, write_target_folders
from hashtagnet.labels.hashtags import default_canonicaliser

IMAGE_SIZE = 32
NOISE = {"clean": 0.0, "noisy": 0.25}
LEAK_SHARE = 0.1  # share of target test images re-posted (slightly altered) among the hashtag photos


def _leaks(test_images: np.ndarray, seed: int) -> tuple[np.ndarray, list[str]]:
    """Near-copies of some target test images (brightness and noise changed), captioned like any other post."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(test_images), size=max(1, int(LEAK_SHARE * len(test_images))), replace=False)
    altered = test_images[picked].astype(np.float32) * rng.uniform(0.95, 1.05) + rng.normal(0, 3, (len(picked), 1, 1, 3))
    concepts = build_concepts("source")
    captions = [caption_for(concepts[i % len(concepts)], concepts, rng, 0.0) for i in range(len(picked))]
    return np.clip(altered, 0, 255).astype(np.uint8), captions


def _target_tables(root: Path, size: dict, seed: int) -> dict:
    write_target_folders(root, {s: size[s] for s in ("train", "calib", "test")}, size=IMAGE_SIZE, seed=seed + 100)
    train = labelled_table(folder_records(root / "train"), IMAGE_SIZE)
    tables = {"train": train}
    for split in ("calib", "test"):
        tables[split] = labelled_table(folder_records(root / split), IMAGE_SIZE, train.classes)
    return tables


def build_miniature_data(root: Path, size: dict, seed: int, log=print) -> dict:
    """Write everything to disk, read it back through the streaming reader, canonicalise, de-duplicate."""
    tables = _target_tables(root / "target", size, seed)
    drawn, images = render_source_images(size["pretrain_images"], size=IMAGE_SIZE, seed=seed)
    leak_images, leak_captions = _leaks(tables["test"].images, seed + 5)
    vocabulary = {"targets": [c.wnid for c in build_concepts("source")]}
    hashtag_tables, summary = {}, {"leaked_test_images_injected": len(leak_images), "coverage": {}, "dedup": {}}
    for corpus, noise in NOISE.items():
        captions = captions_for(drawn, noise=noise, seed=seed + 1) + leak_captions
        shards = write_shards(root / f"hashtags-{corpus}", np.concatenate([images, leak_images]), captions)
        table, _, coverage = hashtag_table(HashtagStream(shards), default_canonicaliser(), IMAGE_SIZE, vocabulary)
        summary["coverage"][corpus] = coverage
        evaluation = [tables["test"].images, tables["calib"].images]
        hashtag_tables[corpus], dedup = drop_near_duplicates(table, evaluation)
        leak_keys = {f"{i:07d}" for i in range(len(images), len(images) + len(leak_images))}
        dedup["dropped_injected_leaks"] = sum(key in leak_keys for key in dedup.pop("dropped_keys"))
        dedup["leaks_with_kept_label"] = sum(key in leak_keys for key in table.keys)
        summary["dedup"][corpus] = dedup
        log(f"[data] {corpus}: coverage {coverage['coverage']}, de-dup dropped {summary['dedup'][corpus]['dropped']}")
    clean_shards = sorted(str(p) for p in (root / "hashtags-clean").glob("*.tar"))
    top_k = {"top_k": len(vocabulary["targets"])}
    summary["coverage"]["clean_top_k"] = caption_coverage(HashtagStream(clean_shards), default_canonicaliser(), top_k)
    summary["target_classes"] = tables["train"].classes
    summary["target_images"] = {split: len(t) for split, t in tables.items()}
    return {"tables": tables, "hashtag_tables": hashtag_tables, "summary": summary}


def shuffled_labels(table: ImageTable, seed: int) -> ImageTable:
    """The control for pretraining: the same images and the same label sets, permuted across images (seeded), so
    the class frequencies stay and only the link between an image and its hashtags is broken."""
    order = np.random.default_rng(seed).permutation(len(table))
    return ImageTable(table.images, [table.labels[int(i)] for i in order], table.classes, table.keys)
