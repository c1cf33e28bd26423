"""Resume across a changed number of processes or loader workers: the leftovers of every old worker's epoch are
re-dealt, so no record of the unfinished epoch is skipped; ranks that disagree on the step or on the checkpoint
folder fail together (2 gloo processes)."""

from __future__ import annotations

import os
import socket
from itertools import islice
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from hashtagnet.data.reshard import reshard_positions
from hashtagnet.data.shards import Position, ShardStream
from hashtagnet.train import stream_state
from hashtagnet.train.distributed import World

from stream_fixtures import label_map, write_stream_shards


def _stream(urls, start=None) -> ShardStream:
    return ShardStream(urls, label_map(), batch_size=1, size=8, seed=3, sampling="natural", shuffle=1, start=start)


def _keys(monkeypatch, urls, rank, world, worker, workers, start=None, limit=None):
    """(record keys, last position) that one worker of one rank emits, up to `limit` records."""
    monkeypatch.setenv("RANK", str(rank))
    monkeypatch.setenv("WORLD_SIZE", str(world))
    monkeypatch.setattr(torch.utils.data, "get_worker_info", lambda: type("I", (), {"id": worker, "num_workers": workers}))
    stream, keys, position = _stream(urls, start), [], None
    for candidate in islice(stream._candidates(_position(start, worker), {"records": 0, "corrupt": 0, "unlabelled": 0},
                                               (start or {}).get(worker, {})), limit):
        keys.append(candidate[2].split("|")[0])
        position = candidate[4]
    return keys, position


def _position(start, worker):
    return Position(**(start or {}).get(worker, {}).get("block", {}))


def test_a_job_resumed_with_one_process_instead_of_two_reads_every_record_of_the_epoch_left(monkeypatch, tmp_path):
    urls = write_stream_shards(tmp_path / "shards", shards=8, per_shard=5, corrupt_at=(99, 0))
    old, seen = [], set()
    for rank in range(2):
        positions = {}
        for worker in range(2):
            keys, position = _keys(monkeypatch, urls, rank, 2, worker, 2, limit=3 + rank + worker)
            seen.update(keys[:-1])  # the record at the saved position is read again (it may have copies left)
            positions[worker] = {"block": position.__dict__, "index": 0}
        old.append({"positions": positions, "workers": 2})
    dealt = reshard_positions(urls, 3, old, world=1, workers=1)
    keys, _ = _keys(monkeypatch, urls, 0, 1, 0, 1, start=dealt[0], limit=60)  # 40 records an epoch
    epoch0 = {k for k in keys if k.startswith("0:")}
    everything = {f"0:{i}:{o}" for i in range(8) for o in range(5)}
    assert seen | epoch0 == everything and not seen & epoch0
    assert any(k.startswith("1:") for k in keys)  # then the next epoch under the new split


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _disagreeing_rank(rank: int, port: int, folder: str, failures) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=2)
    world = World(rank, 2, rank, torch.device("cpu"))
    try:
        try:
            stream_state.check_shared_directory(Path(folder) / f"node{rank}", world)
        except RuntimeError as error:
            failures.put(("dir", rank, str(error)))
        try:
            stream_state.agree_on_step(4 if rank == 0 else 0, world)
        except RuntimeError as error:
            failures.put(("step", rank, str(error)))
        stream_state.check_shared_directory(Path(folder) / "shared", world)
        failures.put(("shared ok", rank, ""))
    finally:
        dist.destroy_process_group()


def test_node_local_checkpoint_folders_and_different_resume_steps_fail_on_every_rank(tmp_path):
    context = mp.get_context("spawn")
    failures = context.Queue()
    mp.start_processes(_disagreeing_rank, args=(_free_port(), str(tmp_path), failures), nprocs=2, start_method="spawn")
    seen = sorted((kind, rank) for kind, rank, _ in (failures.get(timeout=30) for _ in range(6)))
    assert seen == [("dir", 0), ("dir", 1), ("shared ok", 0), ("shared ok", 1), ("step", 0), ("step", 1)]
