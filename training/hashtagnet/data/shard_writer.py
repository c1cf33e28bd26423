"""Tagged photos to WebDataset shards: shuffled, near-duplicates of evaluation photos dropped by perceptual hash,
`KEY.<ext>` + `KEY.json` (+ `KEY.txt` caption) per record, and `shard-N.meta.jsonl` beside each shard with every
record's key, tags and size, so the vocabulary pass never opens a tar."""

from __future__ import annotations

import io
import json
import random
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from .dedup import dhash_bits
from .tags_file import TaggedPhoto, read_photo

KEPT_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
DEDUP_MAX_BITS = 12  # of a 256-bit dHash: data/dedup.py's limit for near-duplicates


@dataclass
class ShardReport:
    """What the writer did: shards and records written, photos dropped as unreadable or as evaluation duplicates."""

    shards: list[str] = field(default_factory=list)
    records: int = 0
    unreadable: list[str] = field(default_factory=list)
    duplicates_of_evaluation: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """Counts and the first few dropped paths, for printing."""
        return {"shards": len(self.shards), "records": self.records, "unreadable": len(self.unreadable),
                "duplicates_of_evaluation": len(self.duplicates_of_evaluation),
                "dropped_examples": (self.unreadable + self.duplicates_of_evaluation)[:5]}


def photo_hash(image: Image.Image) -> np.ndarray:
    """The 256-bit dHash of a decoded photo (data/dedup.py), from a small draft decode."""
    return dhash_bits(np.asarray(image.convert("RGB").resize((64, 64), Image.BILINEAR)))


def load_photo(data: bytes, max_side: int | None) -> tuple[Image.Image, bytes, str]:
    """(decoded image, the bytes to store, extension): the original bytes in a kept format, else re-encoded; with
    max_side, photos larger than it are stored shrunk (JPEG q90), so shards stay small."""
    image = Image.open(io.BytesIO(data))
    image.load()
    fmt = KEPT_FORMATS.get(image.format or "")
    if fmt and (max_side is None or max(image.size) <= max_side):
        return image, data, fmt
    rgb = image.convert("RGB")
    if max_side and max(rgb.size) > max_side:
        rgb.thumbnail((max_side, max_side), Image.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", quality=90) if max_side else rgb.save(buffer, "PNG")
    return rgb, buffer.getvalue(), "jpg" if max_side else "png"


def _add(tar: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(payload), 0
    tar.addfile(info, io.BytesIO(payload))


def evaluation_hashes(photos: list[TaggedPhoto]) -> np.ndarray:
    """dHash bits of each readable evaluation photo ([N, 256]; unreadable ones are skipped here, reported there)."""
    hashes = []
    for photo in photos:
        try:
            hashes.append(photo_hash(Image.open(io.BytesIO(read_photo(photo.path)))))
        except (OSError, ValueError, SyntaxError):
            continue
    return np.stack(hashes) if hashes else np.zeros((0, 256), dtype=bool)


def _is_duplicate(bits: np.ndarray, against: np.ndarray) -> bool:
    return bool(len(against)) and int(np.min(np.count_nonzero(against != bits, axis=1))) <= DEDUP_MAX_BITS


def write_shards(photos: list[TaggedPhoto], out: Path, *, prefix: str = "shard", per_shard: int = 1000, seed: int = 0,
                 dedup_against: np.ndarray | None = None, max_side: int | None = None, labels: dict | None = None) -> ShardReport:
    """Write `photos` in a seeded shuffled order, per_shard records a shard; `labels[path]` adds a `label` (a class id)
    to a record (held-out shards for evaluation and calibration)."""
    out.mkdir(parents=True, exist_ok=True)
    order = list(photos)
    random.Random(f"shards:{seed}").shuffle(order)
    report, against = ShardReport(), dedup_against if dedup_against is not None else np.zeros((0, 256), dtype=bool)
    tar, meta = None, None
    for photo in order:
        try:
            image, payload, ext = load_photo(read_photo(photo.path), max_side)
            bits = photo_hash(image)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            report.unreadable.append(photo.path)
            continue
        if _is_duplicate(bits, against):
            report.duplicates_of_evaluation.append(photo.path)
            continue
        if report.records % per_shard == 0:
            tar, meta = _next_shard(out, prefix, report, tar, meta)
        key = f"{len(report.shards) - 1:06d}{report.records % per_shard:06d}"
        row = {"key": key, "hashtags": list(photo.tags), "source": photo.path, "width": image.width,
               "height": image.height, **({"label": labels[photo.path]} if labels and photo.path in labels else {})}
        _add(tar, f"{key}.{ext}", payload)
        _add(tar, f"{key}.json", json.dumps({k: row[k] for k in ("hashtags", "source", "label") if k in row}).encode())
        if photo.caption:
            _add(tar, f"{key}.txt", photo.caption.encode("utf-8"))
        meta.write(json.dumps(row | ({"caption": photo.caption} if photo.caption else {})) + "\n")
        report.records += 1
    _next_shard(out, prefix, report, tar, meta, last=True)
    return report


def _next_shard(out: Path, prefix: str, report: ShardReport, tar, meta, last: bool = False):
    for handle in (tar, meta):
        if handle is not None:
            handle.close()
    if last:
        return None, None
    path = out / f"{prefix}-{len(report.shards):06d}.tar"
    report.shards.append(str(path))
    return tarfile.open(path, "w"), path.with_suffix(".meta.jsonl").open("w")
