"""The streaming pretraining loop: WebDataset shards through DataLoader workers, auto-resume from the latest
checkpoint (weights, optimiser, stream positions, RNG), evaluation every N steps, metrics as JSON lines."""

from __future__ import annotations

import argparse
import math
import time
from contextlib import nullcontext
from pathlib import Path

import torch
import torch.distributed as dist

from hashtagnet.data.normalise import channel_stats, normalise
from hashtagnet.data.shards import ShardStream, in_worker_order, multi_hot
from hashtagnet.data.stream import expand_sources
from hashtagnet.labels.label_map import LabelMap
from hashtagnet.models.backbones import build_model

from . import distributed
from .checkpoints import latest_checkpoint, restore_rng_states, rng_states, write_checkpoint
from .loop import freeze_for_recipe, make_optimiser, set_train_mode
from .losses import loss_by_name
from .metrics import MetricsLog
from .recipe import load_recipe


def make_loader(recipe: dict, label_map: LabelMap, per_rank: int, world, train: bool = True, start=None):
    """A DataLoader over the recipe's shards (val_sources when not training); batches are formed in the workers."""
    stream, data = recipe["stream"], recipe["data"]
    urls = expand_sources(data["sources"] if train else data["val_sources"])
    dataset = ShardStream(urls, label_map, batch_size=per_rank, size=data["image_size"], seed=recipe["seed"],
                          sampling=recipe["sampling"], train=train, scale=stream["scale"], flip=recipe["augment"]["flip"],
                          shuffle=stream["shuffle"], start=start)
    pin = stream["pin_memory"] is True or (stream["pin_memory"] == "auto" and world.device.type == "cuda")
    workers = stream["workers"]
    return torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=workers, pin_memory=pin,
                                       prefetch_factor=stream["prefetch"] if workers else None)


def model_input(pixels: torch.Tensor, recipe: dict, world) -> torch.Tensor:
    """uint8 NHWC (pinned) -> normalised float NCHW on the device, normalised there (4x less to copy than floats);
    channels_last on CUDA, or when the recipe says so."""
    stats = recipe["normalise"]
    mean, std = channel_stats(stats["mean"]).to(world.device), channel_stats(stats["std"]).to(world.device)
    x = normalise(pixels.to(world.device, non_blocking=True), mean, std)
    return x.contiguous(memory_format=torch.channels_last) if _channels_last(recipe, world) else x


def _channels_last(recipe: dict, world) -> bool:
    return recipe["channels_last"] is True or (recipe["channels_last"] == "auto" and world.device.type == "cuda")


def _gather(obj, world) -> list:
    if world.size == 1:
        return [obj]
    out = [None] * world.size
    dist.all_gather_object(out, obj)
    return out


def _all_sum(values: list[float], world) -> list[float]:
    tensor = torch.tensor(values, dtype=torch.float64)
    if world.size > 1:
        dist.all_reduce(tensor)
    return tensor.tolist()


@torch.no_grad()
def evaluate_stream(model, recipe: dict, label_map: LabelMap, world) -> dict:
    """Held-out loss and precision@1 (the top class is one of the image's tags) over val_sources, all ranks summed."""
    model.eval()
    loss_fn, classes, limit = loss_by_name(recipe["loss"]), len(label_map.classes), recipe["eval"]["batches"]
    totals = [0.0, 0.0, 0.0]
    for number, (pixels, labels, _) in enumerate(make_loader(recipe, label_map, recipe["batch_size"], world, train=False)):
        if limit and number >= limit:
            break
        x, targets = model_input(pixels, recipe, world), multi_hot(labels.to(world.device), classes)
        logits = model(x)
        hit = targets.gather(1, logits.argmax(1, keepdim=True)).sum()
        totals = [totals[0] + float(loss_fn(logits, targets)) * len(x), totals[1] + float(hit), totals[2] + len(x)]
    loss_sum, hits, images = _all_sum(totals, world)
    set_train_mode(model, recipe)
    return {"loss": loss_sum / max(images, 1), "precision_at_1": hits / max(images, 1), "images": int(images)}


def train_step(model, params, x, targets, loss_fn, optimiser, scheduler, world) -> tuple[float, float]:
    """One SGD step; returns (loss on this rank's slice, global gradient norm after DDP's averaging)."""
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if world.device.type == "cuda" else nullcontext()
    with autocast:
        loss = loss_fn(model(x), targets)
    optimiser.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(params, math.inf)
    optimiser.step()
    scheduler.step()
    return float(loss.detach()), float(norm)


def _resume(recipe: dict, model, optimiser, scheduler, world) -> dict:
    """Load the latest checkpoint if there is one; returns this rank's saved stream state (or a fresh one)."""
    path = latest_checkpoint(Path(recipe["checkpoint"]["dir"]))
    if path is None or not path.exists():
        return {"step": 0, "positions": {}, "next_worker": 0, "counters": {}}
    payload = torch.load(path, map_location="cpu", weights_only=False)
    if len(payload["ranks"]) != world.size:
        raise ValueError(f"{path} was written by {len(payload['ranks'])} processes; this job has {world.size}")
    model.load_state_dict(payload["model"])
    optimiser.load_state_dict(payload["optimiser"])
    scheduler.load_state_dict(payload["scheduler"])
    mine = payload["ranks"][world.rank]
    if mine["workers"] != max(recipe["stream"]["workers"], 1):
        raise ValueError(f"{path} was written with {mine['workers']} loader workers per process; the stream positions "
                         f"are per worker, so resume with stream.workers={mine['workers']}")
    restore_rng_states(mine["rng"])
    return {"step": payload["step"], **{k: mine[k] for k in ("positions", "next_worker", "counters")}}


def _checkpoint(recipe, model, optimiser, scheduler, state, world) -> None:
    mine = {k: state[k] for k in ("positions", "next_worker", "counters")}
    ranks = _gather(mine | {"rng": rng_states(), "workers": max(recipe["stream"]["workers"], 1)}, world)
    if world.is_main:
        payload = {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "scheduler": scheduler.state_dict(),
                   "step": state["step"], "ranks": ranks, "recipe": recipe, "classes": state["classes"]}
        directory, keep = Path(recipe["checkpoint"]["dir"]), recipe["checkpoint"]["keep_last"]
        write_checkpoint(directory, payload, state["step"], recipe, keep)


def _count(state: dict, base: dict, info: dict) -> None:
    worker, saved = info["worker"], base.get(info["worker"], {})
    state["counters"][worker] = {k: saved.get(k, 0) + info[k] for k in ("records", "corrupt", "unlabelled")}
    state["positions"][worker] = info["position"]


def _step_metrics(state, loss, norm, lr, images, wait, seconds, world) -> dict:
    counted = [sum(c[k] for c in state["counters"].values()) for k in ("records", "corrupt", "unlabelled")]
    records, corrupt, unlabelled = _all_sum(counted, world)
    return {"loss": round(loss, 6), "lr": lr, "images_per_s": round(images / max(seconds, 1e-9), 1),
            "data_wait_s": round(wait, 6), "step_s": round(seconds, 6), "grad_norm": round(norm, 6),
            "records": int(records), "corrupt": int(corrupt), "unlabelled": int(unlabelled)}


def fit_stream(model, recipe: dict, label_map: LabelMap, world, log=print, halt_at: int | None = None) -> dict:
    """Train recipe['steps'] global batches from the shards (or stop at `halt_at`, as a pre-empted job would),
    resuming from checkpoint.dir/latest when it exists."""
    per_rank, workers = recipe["batch_size"] // world.size, max(recipe["stream"]["workers"], 1)
    if per_rank * world.size != recipe["batch_size"]:
        raise ValueError(f"batch_size {recipe['batch_size']} is not divisible by the world size {world.size}")
    torch.manual_seed(recipe["seed"])
    model.to(world.device, memory_format=torch.channels_last if _channels_last(recipe, world) else torch.contiguous_format)
    freeze_for_recipe(model, recipe)
    ddp_model, params = distributed.wrap(model, world), [p for p in model.parameters() if p.requires_grad]
    optimiser, scheduler = make_optimiser(model, recipe, recipe["batch_size"])
    state = _resume(recipe, model, optimiser, scheduler, world)
    state["classes"], base = label_map.classes, dict(state["counters"])
    every, metrics = recipe["checkpoint"]["every"], _metrics_log(recipe, world)
    loader = make_loader(recipe, label_map, per_rank, world, start=state["positions"])
    batches = in_worker_order(iter(loader), state["next_worker"], workers)
    loss_fn, first, started = loss_by_name(recipe["loss"]), state["step"], time.perf_counter()
    set_train_mode(model, recipe)
    while state["step"] < min(recipe["steps"], halt_at or recipe["steps"]):
        tick = time.perf_counter()
        pixels, labels, info = next(batches)
        waited = time.perf_counter() - tick
        x = model_input(pixels, recipe, world)
        targets = multi_hot(labels.to(world.device, non_blocking=True), len(label_map.classes))
        loss, norm = train_step(ddp_model, params, x, targets, loss_fn, optimiser, scheduler, world)
        _count(state, base, info)
        state["step"], state["next_worker"] = state["step"] + 1, (info["worker"] + 1) % workers
        step = state["step"]
        if step % recipe["log"]["every"] == 0 or step == recipe["steps"]:
            row = _step_metrics(state, loss, norm, optimiser.param_groups[0]["lr"], recipe["batch_size"], waited,
                                time.perf_counter() - tick, world)
            if world.is_main:
                metrics.write(step, row)
        if recipe["eval"]["every"] and (step % recipe["eval"]["every"] == 0 or step == recipe["steps"]):
            result = evaluate_stream(model, recipe, label_map, world)
            if world.is_main:
                metrics.write(step, result, prefix="eval")
                log(f"[{recipe['name']}] step {step} eval {result}")
        if every and step % every == 0:
            _checkpoint(recipe, model, optimiser, scheduler, state, world)
    metrics.close()
    elapsed = time.perf_counter() - started
    return {"steps": state["step"], "resumed_from": first, "seconds": round(elapsed, 2),
            "images_per_second": round((state["step"] - first) * recipe["batch_size"] / max(elapsed, 1e-9), 1)}


def _metrics_log(recipe: dict, world) -> MetricsLog:
    directory = Path(recipe["checkpoint"]["dir"])
    board = directory / "tensorboard" if recipe["log"]["tensorboard"] and world.is_main else None
    return MetricsLog(directory / recipe["log"]["jsonl"] if world.is_main else None, board)


def main(argv: list[str] | None = None) -> dict:
    """CLI: [torchrun ...] python -m hashtagnet.train.streaming --recipe R.yaml [--set key=value ...]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipe", type=Path, required=True)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    recipe = load_recipe(args.recipe, args.overrides)
    if recipe["threads"]:
        torch.set_num_threads(recipe["threads"])
    world = distributed.join(recipe["device"])
    try:
        label_map = LabelMap.load(Path(recipe["stream"]["label_map"]))
        torch.manual_seed(recipe["seed"])
        model = build_model(recipe["model"]["backbone"], len(label_map.classes), **recipe["model"]["options"])
        result = fit_stream(model, recipe, label_map, world)
        if world.is_main:
            Path(recipe["checkpoint"]["dir"]).mkdir(parents=True, exist_ok=True)
            torch.save({"model": model.state_dict(), "step": result["steps"], "recipe": recipe,
                        "classes": label_map.classes}, Path(recipe["checkpoint"]["dir"]) / "final.pt")
            print(result)
        return result
    finally:
        distributed.leave()


if __name__ == "__main__":
    main()
