"""The streaming training loader: WebDataset shards split per node and per DataLoader worker (webdataset's own
splitters), resampled by per-record repeat factors, shuffled in blocks, decoded and augmented in the workers, batched
in the worker, and each batch tagged with the position that resumes its worker's stream exactly."""

from __future__ import annotations

import json
import logging
import random
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Iterator

import numpy as np
import torch
import webdataset as wds

from hashtagnet.labels.label_map import LabelMap, RepeatFactors

from .stream import IMAGE_EXTENSIONS
from .transforms import eval_view, train_view

log = logging.getLogger("hashtagnet.shards")
MAX_LABELS = 16  # per record; labels beyond are dropped (hashtag posts rarely carry more visual tags)
PROLOGUE = -1  # the epoch of a re-dealt worker's prologue (data/reshard.py): shards left by a job of another size


@dataclass(frozen=True)
class Position:
    """Where a worker's stream stands: its epoch, the slot of the shard in its list, records read in that shard,
    and copies of the record at `offset` already emitted (a repeated record can straddle two batches)."""

    epoch: int = 0
    slot: int = 0
    offset: int = 0
    emitted: int = 0


def shard_order(urls: list[str], seed: int, epoch: int) -> list[tuple[int, str]]:
    """All shards as (index, url) in this epoch's order: a permutation drawn from (seed, epoch)."""
    order = list(enumerate(urls))
    random.Random(f"shards:{seed}:{epoch}").shuffle(order)
    return order


def my_shards(urls: list[str], seed: int, epoch: int) -> list[tuple[int, str]]:
    """This process's and this worker's shards of the epoch: wds.split_by_node, then wds.split_by_worker."""
    return list(wds.split_by_worker(wds.split_by_node(shard_order(urls, seed, epoch))))


def _records(url: str, skip: int) -> Iterator[tuple[int, dict]]:
    samples = wds.tarfile_samples([{"url": url}], handler=wds.warn_and_continue)
    yield from islice(enumerate(samples), skip, None)


class ShardStream(torch.utils.data.IterableDataset):
    """Yields (pixels uint8 [B,S,S,3], labels int64 [B,L] padded with -1, info) per worker batch; infinite when
    training (each worker cycles its own epochs, so no rank runs dry), one pass when evaluating."""

    def __init__(self, urls: list[str], label_map: LabelMap, *, batch_size: int, size: int, seed: int,
                 sampling: str = "sqrt", train: bool = True, scale=(0.08, 1.0), flip: bool = True,
                 shuffle: int = 256, start: dict[int, dict] | None = None):
        super().__init__()
        self.urls, self.label_map, self.batch_size, self.size, self.seed = list(urls), label_map, batch_size, size, seed
        self.repeat = RepeatFactors(label_map, sampling if train else "natural")
        self.train, self.scale, self.flip, self.start = train, scale, flip, start or {}
        self.shuffle = max(shuffle, 1)

    def _view(self, image: bytes, key: str, copy: int) -> np.ndarray:
        if not self.train:
            return eval_view(image, self.size)
        return train_view(image, self.size, random.Random(f"view:{self.seed}:{key}:{copy}"), self.scale, self.flip)

    def _epoch_shards(self, epoch: int, saved: dict) -> list[tuple[int, int, str, int]]:
        """(epoch that keys the randomness, shard index, url, first record) for each shard of an epoch; the prologue
        is the list a re-dealt resume handed this worker."""
        if epoch == PROLOGUE:
            return [tuple(item) for item in saved.get("prologue", [])]
        return [(epoch, index, url, 0) for index, url in my_shards(self.urls, self.seed, epoch)]

    def _candidates(self, pos: Position, counters: dict, saved: dict) -> Iterator[tuple]:
        """(image bytes, labels, record key, copy, the position just before this copy) from `pos` on, undecoded."""
        epoch = pos.epoch
        while True:
            shards = self._epoch_shards(epoch, saved)
            if not shards and not self.train:
                return
            if not shards and epoch != PROLOGUE:
                raise ValueError(f"a worker has no shard: {len(self.urls)} shards for more node x worker slots")
            for slot in range(pos.slot if epoch == pos.epoch else 0, len(shards)):
                key_epoch, index, url, first = shards[slot]
                resume = epoch == pos.epoch and slot == pos.slot
                for offset, sample in _records(url, max(pos.offset, first) if resume else first):
                    done = pos.emitted if resume and offset == pos.offset else 0
                    key = f"{key_epoch}:{index}:{offset}"
                    yield from self._copies(sample, Position(epoch, slot, offset), done, key, counters)
            if not self.train:
                return
            epoch = saved["next_epoch"] if epoch == PROLOGUE else epoch + 1

    def _copies(self, sample: dict, at: Position, done: int, key: str, counters: dict):
        counters["records"] += 1
        image = next((sample[ext] for ext in IMAGE_EXTENSIONS if ext in sample), None)
        meta = json.loads(sample["json"]) if "json" in sample else {}
        labels = self.label_map.labels(sample.get("txt", b"").decode("utf-8", "replace"), list(meta.get("hashtags", [])))
        if image is None or not labels:
            counters["unlabelled"] += 1
            return
        uniform = random.Random(f"repeat:{self.seed}:{key}").random()
        copies = RepeatFactors.copies(self.repeat(labels), uniform) if self.train else 1
        for copy in range(done, copies):
            yield image, labels, f"{key}|{sample.get('__key__')}", copy, Position(at.epoch, at.slot, at.offset, copy)

    def _shuffled(self, worker: int, counters: dict) -> Iterator[tuple[np.ndarray, list[int], dict]]:
        """Blocks of `shuffle` candidates, each permuted by a generator keyed by its first position (so the copies of
        a repeated record spread out), decoded at emission; a position is (block start, items of it emitted)."""
        saved = self.start.get(worker, {})
        skip, items = saved.get("index", 0), self._candidates(Position(**saved.get("block", {})), counters, saved)
        carry = {k: saved[k] for k in ("prologue", "next_epoch") if k in saved}
        while block := list(islice(items, self.shuffle if self.train else self.batch_size)):
            first = block[0][4]
            order = list(range(len(block)))
            if self.train:
                random.Random(f"block:{self.seed}:{first}").shuffle(order)
            for j in range(skip, len(order)):
                image, labels, key, copy, _ = block[order[j]]
                try:
                    pixels = self._view(image, key, copy)
                except Exception as error:  # PIL raises OSError, SyntaxError, ValueError... for broken files
                    if copy == 0:
                        counters["corrupt"] += 1
                        log.warning("corrupt image %s (%s): skipped, %d so far", key, error, counters["corrupt"])
                    continue
                yield pixels, labels, {"block": asdict(first), "index": j + 1,
                                       **(carry if first.epoch == PROLOGUE else {})}
            skip = 0

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        worker = info.id if info else 0
        counters = {"records": 0, "corrupt": 0, "unlabelled": 0}
        batch: list = []
        for pixels, labels, pos in self._shuffled(worker, counters):
            batch.append((pixels, labels))
            if len(batch) == self.batch_size:
                yield _collate(batch, {"worker": worker, "position": pos, **counters})
                batch = []
        if batch and not self.train:
            yield _collate(batch, {"worker": worker, "position": pos, **counters})


def _collate(batch: list, info: dict):
    pixels = torch.from_numpy(np.stack([p for p, _ in batch]))
    labels = torch.full((len(batch), MAX_LABELS), -1, dtype=torch.int64)
    for row, (_, ls) in enumerate(batch):
        labels[row, :min(len(ls), MAX_LABELS)] = torch.as_tensor(ls[:MAX_LABELS])
    return pixels, labels, info


def multi_hot(labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[B, L] padded class indices -> [B, C] float multi-hot, on the labels' device."""
    out = torch.zeros(labels.shape[0], num_classes + 1, device=labels.device)
    out.scatter_(1, torch.where(labels < 0, num_classes, labels), 1.0)
    return out[:, :num_classes]


def in_worker_order(batches, first_worker: int, workers: int):
    """The loader's batches in round-robin worker order starting at `first_worker` (the DataLoader always starts at
    worker 0, so a resumed run reorders through a buffer of at most `workers` batches to draw what it would have)."""
    pending: dict[int, list] = {w: [] for w in range(max(workers, 1))}
    wanted = first_worker % max(workers, 1)
    for batch in batches:
        pending[batch[2]["worker"]].append(batch)
        while pending[wanted]:
            yield pending[wanted].pop(0)
            wanted = (wanted + 1) % max(workers, 1)
