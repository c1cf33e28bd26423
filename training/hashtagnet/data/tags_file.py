"""A user's tagged photos: `path<TAB>#tag #tag ...` lines, a CSV (path, tags[, caption]) or JSONL
({"path"|"image", "hashtags"|"tags", "caption"}); paths relative to the file, or object-storage URLs through fsspec."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import fsspec

from hashtagnet.labels.hashtags import extract_hashtags


@dataclass(frozen=True)
class TaggedPhoto:
    """One photo: where it is, its hashtags (without '#'), an optional caption, and line number for messages."""

    path: str
    tags: tuple[str, ...]
    caption: str = ""
    line: int = 0


def _tags(text: str) -> tuple[str, ...]:
    """`#cat #kitty`, `cat kitty`, `cat,kitty` or `cat;kitty`: '#'-prefixed words when there are any, else words."""
    found = extract_hashtags(text)
    words = found or [w.strip() for w in text.replace(",", " ").replace(";", " ").split()]
    return tuple(w for w in words if w)


def _resolve(ref: str, base: str) -> str:
    if "://" in ref or Path(ref).is_absolute():
        return ref
    return f"{base.rstrip('/')}/{ref}" if "://" in base else str(Path(base) / ref)


def _rows(text: str, suffix: str):
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                tags = row.get("hashtags", row.get("tags", []))
                yield number, row.get("path", row.get("image")), _tags(tags) if isinstance(tags, str) else tuple(tags), row.get("caption", "")
        return
    reader = csv.reader(io.StringIO(text), delimiter="," if suffix == ".csv" else "\t")
    for number, row in enumerate(reader, 1):
        if not row or not row[0].strip() or row[0].startswith("#") or (number == 1 and row[0].strip().lower() == "path"):
            continue
        yield number, row[0].strip(), _tags(row[1] if len(row) > 1 else ""), row[2] if len(row) > 2 else ""


def read_tags_file(location: str | Path) -> list[TaggedPhoto]:
    """Every tagged photo in the file, in file order; a line without a path or without any tag is an error."""
    location = str(location)
    with fsspec.open(location, "rt", encoding="utf-8") as handle:
        text = handle.read()
    base = location.rsplit("/", 1)[0] if "://" in location else str(Path(location).resolve().parent)
    suffix = Path(location.split("?")[0]).suffix.lower()
    photos, problems = [], []
    for number, ref, tags, caption in _rows(text, suffix):
        if not ref or not (tags or extract_hashtags(caption)):
            problems.append(f"line {number}: needs a path and at least one tag")
            continue
        photos.append(TaggedPhoto(_resolve(ref, base), tuple(t.lstrip("#") for t in tags), caption, number))
    if problems:
        raise ValueError(f"{location}: " + "; ".join(problems[:10]) + (" ..." if len(problems) > 10 else ""))
    return photos


def read_photo(path: str) -> bytes:
    """The photo's bytes, local or through fsspec."""
    with fsspec.open(path, "rb") as handle:
        return handle.read()
