"""Stream positions re-dealt for a different number of processes or loader workers: what each old worker had left of
its current epoch (from the start of its shuffle block) is dealt round-robin to the new workers as a prologue, after
which every new worker starts the next epoch under the new split. No record of the unfinished epochs is skipped."""

from __future__ import annotations

from dataclasses import asdict

from .shards import PROLOGUE, Position, shard_order


def worker_shards(urls: list[str], seed: int, epoch: int, rank: int, world: int, worker: int, workers: int) -> list:
    """The (index, url) list of one worker of one rank in an epoch: what wds.split_by_node then split_by_worker give."""
    return shard_order(urls, seed, epoch)[rank::world][worker::workers]


def _left(urls: list[str], seed: int, rank: int, world: int, worker: int, workers: int, saved: dict | None):
    """(items left as [key epoch, index, url, first offset], the epoch the worker was in) for one old worker."""
    block = Position(**(saved or {}).get("block", {}))
    if block.epoch == PROLOGUE:
        items = [list(item) for item in saved["prologue"][block.slot:]]
        if items:
            items[0][3] = max(items[0][3], block.offset)
        return items, saved["next_epoch"] - 1
    shards = worker_shards(urls, seed, block.epoch, rank, world, worker, workers)
    items = [[block.epoch, index, url, 0] for index, url in shards[block.slot:]]
    if items:
        items[0][3] = block.offset
    return items, block.epoch


def reshard_positions(urls: list[str], seed: int, old_ranks: list[dict], world: int, workers: int) -> list[dict]:
    """For each new rank, {worker: start position} with a prologue of the old workers' leftovers, dealt so that the
    new global worker slots (rank-major, as wds splits them) take turns."""
    left, epochs = [], []
    for rank, state in enumerate(old_ranks):
        for worker in range(state["workers"]):
            saved = state["positions"].get(worker, state["positions"].get(str(worker)))
            items, epoch = _left(urls, seed, rank, len(old_ranks), worker, state["workers"], saved)
            left.extend(items)
            epochs.append(epoch)
    next_epoch = max(epochs, default=-1) + 1
    slots = world * workers
    dealt: list[dict] = [{} for _ in range(world)]
    for slot in range(slots):
        rank, worker = divmod(slot, workers)
        prologue = left[slot::slots]
        block = Position(PROLOGUE, 0, 0, 0) if prologue else Position(next_epoch, 0, 0, 0)
        dealt[rank][worker] = {"block": asdict(block), "index": 0, "prologue": prologue, "next_epoch": next_epoch}
    return dealt
