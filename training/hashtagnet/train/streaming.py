"""The one streaming trainer, for pretraining and fine-tuning (model.init_from, model.freeze_trunk): WebDataset
shards through DataLoader workers, auto-resume from the latest checkpoint (weights, optimiser, numerics, stream
positions, RNG), evaluation on data.val_sources, metrics as JSON lines."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import torch.distributed as dist

from hashtagnet.data.normalise import channel_stats, normalise
from hashtagnet.data.shards import ShardStream, in_worker_order, multi_hot
from hashtagnet.data.stream import expand_sources
from hashtagnet.labels.label_map import LabelMap
from hashtagnet.models.backbones import build_model

from . import distributed, stream_state
from .checkpoints import initialise_from
from .loop import freeze_for_recipe, make_optimiser, set_train_mode
from .losses import loss_by_name
from .metrics import MetricsLog
from .recipe import load_recipe
from .step import Stepper


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


def _prepare(model, recipe: dict, world):
    """Device and memory format, frozen trunk, SyncBN under DDP on CUDA, DDP, optional torch.compile."""
    model.to(world.device, memory_format=torch.channels_last if _channels_last(recipe, world) else torch.contiguous_format)
    freeze_for_recipe(model, recipe)
    sync = recipe["sync_bn"] is True or (recipe["sync_bn"] == "auto" and world.device.type == "cuda")
    if world.size > 1 and sync:
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    wrapped = distributed.wrap(model, world)
    return model, torch.compile(wrapped) if recipe["compile"] else wrapped


def _micro_batches(batches, recipe: dict, label_map: LabelMap, state: dict, base: dict, world, workers: int):
    """optim.accumulate loader batches as (input, targets) pairs, counting each into the stream state."""
    out = []
    for _ in range(recipe["optim"]["accumulate"]):
        pixels, labels, info = next(batches)
        out.append((model_input(pixels, recipe, world),
                    multi_hot(labels.to(world.device, non_blocking=True), len(label_map.classes))))
        _count(state, base, info)
        state["next_worker"] = (info["worker"] + 1) % workers
    return out


def _evaluate_now(recipe: dict, step: int) -> bool:
    every = recipe["eval"]["every"]
    return bool(recipe["data"]["val_sources"]) and ((every and step % every == 0) or step == recipe["steps"])


def fit_stream(model, recipe: dict, label_map: LabelMap, world, log=print, halt_at: int | None = None) -> dict:
    """Train recipe['steps'] global batches from the shards (or stop at `halt_at`, as a pre-empted job would),
    resuming from checkpoint.dir/latest when it exists; evaluates on data.val_sources every eval.every steps and at
    the end. Returns the run's figures and the weights to serve (the EMA when on)."""
    accumulate, workers = recipe["optim"]["accumulate"], max(recipe["stream"]["workers"], 1)
    per_rank = recipe["batch_size"] // (world.size * accumulate)
    if per_rank * world.size * accumulate != recipe["batch_size"]:
        raise ValueError(f"batch_size {recipe['batch_size']} is not divisible by world size {world.size} x "
                         f"optim.accumulate {accumulate}")
    torch.manual_seed(recipe["seed"])
    directory = Path(recipe["checkpoint"]["dir"])
    stream_state.check_shared_directory(directory, world)
    model, ddp_model = _prepare(model, recipe, world)
    optimiser, scheduler = make_optimiser(model, recipe, recipe["batch_size"])
    stepper = Stepper(model, ddp_model, optimiser, scheduler, recipe, world.device)
    urls = expand_sources(recipe["data"]["sources"])
    state = stream_state.resume(recipe, model, optimiser, scheduler, stepper, world, urls, log)
    state["classes"], base = label_map.classes, dict(state["counters"])
    every, metrics = recipe["checkpoint"]["every"], _metrics_log(recipe, world)
    loader = make_loader(recipe, label_map, per_rank, world, start=state["positions"])
    batches = in_worker_order(iter(loader), state["next_worker"], workers)
    loss_fn, first, started = loss_by_name(recipe["loss"]), state["step"], time.perf_counter()
    set_train_mode(model, recipe)
    while state["step"] < min(recipe["steps"], halt_at or recipe["steps"]):
        tick = time.perf_counter()
        micro = _micro_batches(batches, recipe, label_map, state, base, world, workers)
        waited = time.perf_counter() - tick
        loss, norm = stepper.step(micro, loss_fn)
        state["step"] = step = state["step"] + 1
        if step % recipe["log"]["every"] == 0 or step == recipe["steps"]:
            row = _step_metrics(state, loss, norm, optimiser.param_groups[0]["lr"], recipe["batch_size"], waited,
                                time.perf_counter() - tick, world)
            if world.is_main:
                metrics.write(step, row)
        if _evaluate_now(recipe, step):
            result = evaluate_stream(stepper.weights_to_serve(), recipe, label_map, world)
            set_train_mode(model, recipe)
            if world.is_main:
                metrics.write(step, result, prefix="eval")
                log(f"[{recipe['name']}] step {step} eval {result}")
        if every and step % every == 0:
            stream_state.save(recipe, model, optimiser, scheduler, stepper, state, world)
    metrics.close()
    elapsed = time.perf_counter() - started
    return {"steps": state["step"], "resumed_from": first, "seconds": round(elapsed, 2), "precision": stepper.precision,
            "images_per_second": round((state["step"] - first) * recipe["batch_size"] / max(elapsed, 1e-9), 1),
            "served": stepper.weights_to_serve()}


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
    torch.backends.cudnn.benchmark = bool(recipe["cudnn_benchmark"])
    world = distributed.join(recipe["device"])
    try:
        label_map = LabelMap.load(Path(recipe["stream"]["label_map"]))
        torch.manual_seed(recipe["seed"])
        model = build_model(recipe["model"]["backbone"], len(label_map.classes), **recipe["model"]["options"])
        if recipe["model"]["init_from"]:
            loaded = initialise_from(model, recipe["model"]["init_from"])
            if world.is_main:
                print(loaded)
        result = fit_stream(model, recipe, label_map, world)
        served = result.pop("served")
        if world.is_main:
            Path(recipe["checkpoint"]["dir"]).mkdir(parents=True, exist_ok=True)
            torch.save({"model": served.state_dict(), "step": result["steps"], "recipe": recipe,
                        "classes": label_map.classes}, Path(recipe["checkpoint"]["dir"]) / "final.pt")
            print(result)
        return result
    finally:
        distributed.leave()


if __name__ == "__main__":
    main()
