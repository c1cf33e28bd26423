"""What the streaming trainer saves and restores across ranks: the checkpoint directory checked to be one folder all
ranks share, the resume step checked equal on every rank, and stream positions re-dealt when the number of processes
or loader workers changed (data/reshard.py)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import torch
import torch.distributed as dist

from hashtagnet.data.reshard import reshard_positions

from .checkpoints import latest_checkpoint, restore_rng_states, rng_states, write_checkpoint

def fresh_state() -> dict:
    """The stream state of a run that starts from nothing (new dicts each time: the loop mutates them)."""
    return {"step": 0, "positions": {}, "next_worker": 0, "counters": {}}


def gather(obj, world) -> list:
    """Every rank's `obj`, in rank order."""
    if world.size == 1:
        return [obj]
    out = [None] * world.size
    dist.all_gather_object(out, obj)
    return out


def check_shared_directory(directory: Path, world) -> None:
    """Every rank must see the others' marker files in checkpoint.dir: a node-local folder with several nodes would
    let rank 0 alone write checkpoints and each node resume from its own (measured: rank 0 at step 4, rank 1 at 0)."""
    if world.size == 1:
        return
    directory.mkdir(parents=True, exist_ok=True)
    token = gather(uuid.uuid4().hex if world.is_main else None, world)[0]
    mine = directory / f".shared-check-{token}-rank{world.rank}"
    mine.write_text(os.uname().nodename)
    dist.barrier()
    seen = sum((directory / f".shared-check-{token}-rank{r}").exists() for r in range(world.size))
    counts = gather(seen, world)
    dist.barrier()
    mine.unlink(missing_ok=True)
    if min(counts) < world.size:
        raise RuntimeError(f"checkpoint.dir {directory} is not one folder shared by all {world.size} processes "
                           f"(markers seen per rank: {counts}); put it on shared storage (NFS, Lustre, a mounted bucket)")


def agree_on_step(step: int, world) -> None:
    """All ranks resume from the same step (all-reduce of min and max), else every rank fails together."""
    if world.size == 1:
        return
    low, high = torch.tensor([step], dtype=torch.int64), torch.tensor([step], dtype=torch.int64)
    dist.all_reduce(low, op=dist.ReduceOp.MIN)
    dist.all_reduce(high, op=dist.ReduceOp.MAX)
    if int(low) != int(high):
        raise RuntimeError(f"ranks would resume from different steps ({int(low)} to {int(high)}): checkpoint.dir "
                           "must be the same shared folder on every node")


def resume(recipe: dict, model, optimiser, scheduler, stepper, world, urls: list[str], log=print) -> dict:
    """Load checkpoint.dir/latest if any; returns this rank's stream state (positions re-dealt when the job's
    processes or loader workers differ from the checkpoint's)."""
    path = latest_checkpoint(Path(recipe["checkpoint"]["dir"]))
    step = 0
    state = fresh_state()
    if path is not None and path.exists():
        payload = torch.load(path, map_location="cpu", weights_only=False)
        model.load_state_dict(payload["model"])
        optimiser.load_state_dict(payload["optimiser"])
        scheduler.load_state_dict(payload["scheduler"])
        stepper.load_state_dict(payload.get("numerics", {}))
        state, step = _stream_state(payload, recipe, world, urls, log), payload["step"]
    agree_on_step(step, world)
    return state


def _stream_state(payload: dict, recipe: dict, world, urls: list[str], log) -> dict:
    workers, ranks = max(recipe["stream"]["workers"], 1), payload["ranks"]
    if len(ranks) == world.size and all(r["workers"] == workers for r in ranks):
        mine = ranks[world.rank]
        restore_rng_states(mine["rng"])
        return {"step": payload["step"], **{k: mine[k] for k in ("positions", "next_worker", "counters")}}
    if world.is_main:
        log(f"resuming {len(ranks)} processes x {ranks[0]['workers']} workers as {world.size} x {workers}: "
            "stream positions re-dealt (at most one shuffle block per old worker is read again)")
    dealt = reshard_positions(urls, recipe["seed"], ranks, world.size, workers)
    restore_rng_states(ranks[min(world.rank, len(ranks) - 1)]["rng"])
    return {"step": payload["step"], "positions": dealt[world.rank], "next_worker": 0, "counters": {}}


def save(recipe, model, optimiser, scheduler, stepper, state, world) -> None:
    """Gather every rank's stream state; rank 0 writes step-N.pt (checkpoints.write_checkpoint)."""
    mine = {k: state[k] for k in ("positions", "next_worker", "counters")}
    ranks = gather(mine | {"rng": rng_states(), "workers": max(recipe["stream"]["workers"], 1)}, world)
    if world.is_main:
        payload = {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "scheduler": scheduler.state_dict(),
                   "numerics": stepper.state_dict(), "step": state["step"], "ranks": ranks, "recipe": recipe,
                   "classes": state["classes"]}
        directory, keep = Path(recipe["checkpoint"]["dir"]), recipe["checkpoint"]["keep_last"]
        write_checkpoint(directory, payload, state["step"], recipe, keep)
