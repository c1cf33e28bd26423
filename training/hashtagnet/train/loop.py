"""The one training loop for hashtag pretraining and target fine-tuning: SGD Nesterov, warm-up, exact resume, DDP."""

from __future__ import annotations

import argparse
import math
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import torch

from hashtagnet.data.corpus import ImageTable
from hashtagnet.data.normalise import channel_stats, normalise
from hashtagnet.data.pipeline import table_for_recipe
from hashtagnet.models.backbones import Classifier, build_model

from . import distributed
from .checkpoints import load_checkpoint, save_checkpoint
from .losses import loss_by_name, target_matrix
from .recipe import load_recipe
from .sampling import BatchSampler, image_weights


def to_model_input(images: torch.Tensor, recipe: dict) -> torch.Tensor:
    """uint8 NHWC RGB -> normalised float NCHW with the recipe's mean and std (the exported graph's normalise)."""
    stats = recipe["normalise"]
    return normalise(images, channel_stats(stats["mean"]), channel_stats(stats["std"]))


def augment(images: torch.Tensor, generator: torch.Generator, recipe: dict) -> torch.Tensor:
    """Random horizontal flip and pad-and-crop on uint8 NHWC, drawn from the loop's own generator."""
    n, h, w, _ = images.shape
    pad = int(recipe["augment"]["pad_crop"])
    flips = torch.rand(n, generator=generator) < 0.5 if recipe["augment"]["flip"] else torch.zeros(n, dtype=torch.bool)
    shifts = torch.randint(0, 2 * pad + 1, (n, 2), generator=generator) if pad else torch.zeros(n, 2, dtype=torch.long)
    out = torch.where(flips.view(n, 1, 1, 1), images.flip(2), images)
    if pad:
        padded = torch.nn.functional.pad(out.permute(0, 3, 1, 2), (pad, pad, pad, pad), mode="replicate").permute(0, 2, 3, 1)
        out = torch.stack([padded[i, dy:dy + h, dx:dx + w] for i, (dy, dx) in enumerate(shifts.tolist())])
    return out


def learning_rate_factor(step: int, recipe: dict) -> float:
    """Linear warm-up to the scaled learning rate, then cosine decay (or constant) to the last step."""
    warmup, total = recipe["optim"]["warmup_steps"], max(1, recipe["steps"])
    if step < warmup:
        return (step + 1) / warmup
    if recipe["optim"]["schedule"] == "constant":
        return 1.0
    return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def make_optimiser(model: Classifier, recipe: dict, global_batch: int):
    """SGD with Nesterov momentum, lr = base_lr * global_batch / reference_batch (Goyal et al. linear scaling)."""
    opt = recipe["optim"]
    params = model.head.parameters() if recipe["model"]["freeze_trunk"] else model.parameters()
    lr = opt["base_lr"] * global_batch / opt["reference_batch"]
    optimiser = torch.optim.SGD(params, lr=lr, momentum=opt["momentum"], nesterov=opt["nesterov"],
                                weight_decay=opt["weight_decay"])
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: learning_rate_factor(step, recipe))
    return optimiser, scheduler


def _uses_cuda(world: distributed.World) -> bool:
    return world.device.type == "cuda"


def freeze_for_recipe(model: Classifier, recipe: dict) -> None:
    """A linear probe's trunk stops needing gradients; done before DDP wraps the model, which registers only the
    parameters that need them (wrapping first made DDP wait for trunk gradients that never came)."""
    if recipe["model"]["freeze_trunk"]:
        model.trunk.requires_grad_(False)


def set_train_mode(model: Classifier, recipe: dict) -> None:
    """Train mode, except a linear probe's frozen trunk, which keeps its batch-norm statistics."""
    model.train()
    if recipe["model"]["freeze_trunk"]:
        model.trunk.eval()


def train_one_step(model, batch: torch.Tensor, targets: torch.Tensor, loss_fn, optimiser, scheduler, world) -> float:
    """One SGD step on this rank's slice of the global batch; DDP averages gradients across ranks."""
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if _uses_cuda(world) else nullcontext()
    with autocast:
        loss = loss_fn(model(batch), targets)
    optimiser.zero_grad(set_to_none=True)
    loss.backward()
    optimiser.step()
    scheduler.step()
    return float(loss.detach())


def fit(model: Classifier, table: ImageTable, recipe: dict, world: distributed.World | None = None,
        resume: Path | None = None, log=print, halt_at: int | None = None) -> dict:
    """Train for recipe['steps'] global batches (or stop early at `halt_at`, as a pre-empted job would);
    checkpoints (with recipe.yaml) every `checkpoint.every` steps."""
    world = world or distributed.join(recipe["device"])
    torch.manual_seed(recipe["seed"])
    channels_last = recipe["channels_last"] is True or (recipe["channels_last"] == "auto" and _uses_cuda(world))
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model.to(world.device, memory_format=memory_format)
    freeze_for_recipe(model, recipe)
    ddp_model = distributed.wrap(model, world)
    batch = recipe["batch_size"]
    optimiser, scheduler = make_optimiser(model, recipe, batch)
    weights = image_weights(table.labels, len(table.classes), recipe["sampling"])
    sampler, aug_gen = BatchSampler(weights, batch, recipe["seed"]), torch.Generator().manual_seed(recipe["seed"] + 1)
    state = {"step": 0, "losses": []}
    if resume:
        state = load_checkpoint(resume, model, optimiser, scheduler, sampler, aug_gen)
    loss_fn, images = loss_by_name(recipe["loss"]), torch.from_numpy(np.ascontiguousarray(table.images))
    per_rank = batch // world.size
    if per_rank * world.size != batch:
        raise ValueError(f"batch_size {batch} is not divisible by the world size {world.size}")
    set_train_mode(model, recipe)
    started, first_step = time.perf_counter(), state["step"]
    for step in range(state["step"], min(recipe["steps"], halt_at or recipe["steps"])):
        rows = sampler.next_batch()
        pixels = augment(images[rows], aug_gen, recipe)
        mine = slice(world.rank * per_rank, (world.rank + 1) * per_rank)
        x = to_model_input(pixels[mine], recipe).to(world.device, memory_format=memory_format)
        y = target_matrix([table.labels[r] for r in rows[mine].tolist()], len(table.classes)).to(world.device)
        state["losses"].append(train_one_step(ddp_model, x, y, loss_fn, optimiser, scheduler, world))
        state["step"] = step + 1
        every = recipe["checkpoint"]["every"]
        if world.is_main and every and state["step"] % every == 0:
            save_checkpoint(Path(recipe["checkpoint"]["dir"]), model, optimiser, scheduler, sampler, aug_gen, state, recipe, table.classes)
        if world.is_main and step % 50 == 0:
            log(f"[{recipe['name']}] step {step}/{recipe['steps']} loss {state['losses'][-1]:.4f}")
    elapsed = time.perf_counter() - started
    model.eval()
    done = state["step"] - first_step
    return {"steps": state["step"], "final_loss": state["losses"][-1] if state["losses"] else None,
            "seconds": round(elapsed, 2), "images_per_second": round(done * batch / max(elapsed, 1e-9), 1)}


def build_for_recipe(recipe: dict, world: distributed.World) -> tuple[Classifier, ImageTable]:
    """The model and training table a recipe describes (init_from loads a pretrained trunk)."""
    table = table_for_recipe(recipe)
    torch.manual_seed(recipe["seed"])
    model = build_model(recipe["model"]["backbone"], len(table.classes), **recipe["model"]["options"])
    if recipe["model"]["init_from"]:
        trunk = torch.load(recipe["model"]["init_from"], map_location="cpu", weights_only=False)["model"]
        model.trunk.load_state_dict({k[len("trunk."):]: v for k, v in trunk.items() if k.startswith("trunk.")})
    return model, table


def main(argv: list[str] | None = None) -> dict:
    """CLI: python -m hashtagnet.train.loop --recipe recipes/X.yaml [--set key=value ...] [--resume checkpoint.pt]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipe", type=Path, required=True)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--resume", type=Path)
    args = parser.parse_args(argv)
    recipe = load_recipe(args.recipe, args.overrides)
    if recipe["threads"]:
        torch.set_num_threads(recipe["threads"])
    world = distributed.join(recipe["device"])
    try:
        model, table = build_for_recipe(recipe, world)
        result = fit(model, table, recipe, world, resume=args.resume)
        if world.is_main:
            save_checkpoint(Path(recipe["checkpoint"]["dir"]), model, *([None] * 4), {"step": result["steps"], "losses": []},
                            recipe, table.classes, name="final.pt")
            print(result)
        return result
    finally:
        distributed.leave()


if __name__ == "__main__":
    main()
