"""One streaming reader for JSONL manifests and WebDataset tar shards, local or `pipe:`, plus labelled folders."""

from __future__ import annotations

import glob
import json
import os
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import torch
import webdataset as wds
from braceexpand import braceexpand

IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp")
_REMOTE = ("http://", "https://", "s3://", "gs://")


@dataclass
class Record:
    """One sample: image bytes, caption text, explicit hashtags, and a class id when the source is labelled."""

    key: str
    image: bytes
    text: str = ""
    hashtags: list[str] = field(default_factory=list)
    label: str | None = None


def _check_source(url: str) -> None:
    if url.startswith(_REMOTE):
        raise ValueError(f"{url}: remote sources are not fetched; use a local path or an explicit pipe: command")


def _open_stream(url: str):
    _check_source(url)
    return wds.gopen(url, "rb")


def url_argv(url_command: str, url: str) -> list[str]:
    """The argument list that fetches url: url_command split like a shell would, then {url} replaced in each word.

    No shell ever sees the URL, so quotes, `;`, `$(...)` or backticks in a manifest's URL stay inside one argument."""
    argv = shlex.split(url_command)
    if not any("{url}" in word for word in argv):
        raise ValueError(f"url_command {url_command!r} has no {{url}} placeholder")
    return [word.replace("{url}", url) for word in argv]


class ImageFetcher:
    """Reads a manifest's image field: a local path, or a URL only through a configured url_command (no shell)."""

    def __init__(self, base_dir: Path | None, url_command: str | None):
        self.base_dir, self.url_command = base_dir, url_command
        self.skipped_remote = 0

    def __call__(self, ref: str) -> bytes | None:
        if ref.startswith(_REMOTE):
            if not self.url_command:
                self.skipped_remote += 1
                return None
            return subprocess.run(url_argv(self.url_command, ref), check=True, capture_output=True).stdout
        path = Path(ref) if Path(ref).is_absolute() or self.base_dir is None else self.base_dir / ref
        return path.read_bytes()


def _jsonl_records(url: str, fetcher: ImageFetcher) -> Iterator[Record]:
    with _open_stream(url) as stream:
        lines = getattr(stream, "stream", stream)  # webdataset's Pipe: read its stdout; close() checks the exit status
        for number, raw in enumerate(lines):
            if not raw.strip():
                continue
            row = json.loads(raw.decode("utf-8"))
            image = fetcher(row["image"])
            if image is not None:
                tags = row.get("hashtags") or []
                yield Record(f"{url}#{number}", image, row.get("caption", ""), list(tags), row.get("label"))


def _tar_records(url: str) -> Iterator[Record]:
    _check_source(url)
    for sample in wds.tarfile_samples([{"url": url}]):
        image = next((sample[ext] for ext in IMAGE_EXTENSIONS if ext in sample), None)
        if image is None:
            continue
        meta = json.loads(sample["json"]) if "json" in sample else {}
        text = sample.get("txt", b"").decode("utf-8")
        yield Record(sample["__key__"], image, text, list(meta.get("hashtags", [])), meta.get("label"))


class HashtagStream(torch.utils.data.IterableDataset):
    """Streams Records from JSONL manifests and tar shards; record i goes to the (rank, worker) with i mod N."""

    def __init__(self, sources: list[str], *, url_command: str | None = None, rank: int = 0, world_size: int = 1):
        super().__init__()
        self.sources, self.url_command = list(sources), url_command
        self.rank, self.world_size = rank, world_size

    def _all_records(self) -> Iterator[Record]:
        for url in self.sources:
            if ".jsonl" in url:
                base = Path.cwd() if url.startswith("pipe:") else Path(url).parent  # piped: relative to cwd
                yield from _jsonl_records(url, ImageFetcher(base, self.url_command))
            else:
                yield from _tar_records(url)

    def __iter__(self) -> Iterator[Record]:
        info = torch.utils.data.get_worker_info()
        workers, worker = (info.num_workers, info.id) if info else (1, 0)
        slots, slot = self.world_size * workers, self.rank * workers + worker
        for index, record in enumerate(self._all_records()):
            if index % slots == slot:
                yield record


def folder_records(root: Path) -> Iterator[Record]:
    """A labelled set laid out as root/<class id>/<image>, classes and files in sorted order."""
    for class_dir in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        for path in sorted(class_dir.iterdir()):
            if path.suffix.lower().lstrip(".") in IMAGE_EXTENSIONS:
                yield Record(str(path), path.read_bytes(), label=class_dir.name)


def expand_sources(patterns: list[str]) -> list[str]:
    """Local globs and brace lists ("shard-{00000..00009}.tar") to concrete sources; pipe: sources pass through."""
    out: list[str] = []
    for pattern in patterns:
        for item in braceexpand(os.path.expanduser(pattern)) if not pattern.startswith("pipe:") else [pattern]:
            matches = sorted(glob.glob(item)) if any(ch in item for ch in "*?[") else [item]
            out.extend(matches)
    return out
