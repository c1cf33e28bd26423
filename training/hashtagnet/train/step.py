"""One optimiser step of the streaming trainer, as the torchvision references and timm take it: autocast (bf16, or
fp16 with a gradient scaler), gradient accumulation over micro-batches (DDP syncs on the last only), clipping by
global norm, the scheduler, and an EMA of the weights."""

from __future__ import annotations

import math
from contextlib import nullcontext

import torch
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn


def precision_of(recipe: dict, device: torch.device) -> str:
    """fp32, bf16 or fp16: "auto" is bf16 on CUDA and fp32 elsewhere."""
    chosen = recipe["precision"]
    return ("bf16" if device.type == "cuda" else "fp32") if chosen == "auto" else chosen


class Stepper:
    """Holds the numerics of a run (autocast, scaler, clipping, EMA) and takes optimiser steps."""

    def __init__(self, model, ddp_model, optimiser, scheduler, recipe: dict, device: torch.device):
        self.model, self.ddp_model, self.optimiser, self.scheduler = model, ddp_model, optimiser, scheduler
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.precision = precision_of(recipe, device)
        dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)
        self.autocast = (lambda: torch.autocast(device.type, dtype=dtype)) if dtype else nullcontext
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.precision == "fp16")
        self.clip = float(recipe["optim"]["clip_grad_norm"]) or math.inf
        decay = float(recipe["ema"]["decay"])
        self.ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True) if decay else None

    def step(self, micro_batches: list[tuple[torch.Tensor, torch.Tensor]], loss_fn) -> tuple[float, float]:
        """Forward and backward each micro-batch (loss / count), unscale, clip, step; returns (mean loss on this rank,
        global gradient norm before clipping)."""
        self.optimiser.zero_grad(set_to_none=True)
        total, count = 0.0, len(micro_batches)
        for number, (x, targets) in enumerate(micro_batches):
            last = number == count - 1
            sync = nullcontext() if last or not hasattr(self.ddp_model, "no_sync") else self.ddp_model.no_sync()
            with sync:
                with self.autocast():
                    loss = loss_fn(self.ddp_model(x), targets) / count
                self.scaler.scale(loss).backward()
            total += float(loss.detach())
        self.scaler.unscale_(self.optimiser)
        norm = torch.nn.utils.clip_grad_norm_(self.params, self.clip)
        self.scaler.step(self.optimiser)
        self.scaler.update()
        self.scheduler.step()
        if self.ema is not None:
            self.ema.update_parameters(self.model)
        return total, float(norm)

    def weights_to_serve(self):
        """The model whose weights are evaluated and exported: the EMA when there is one."""
        return self.ema.module if self.ema is not None else self.model

    def state_dict(self) -> dict:
        """Scaler and EMA state, for the checkpoint."""
        return {"scaler": self.scaler.state_dict(), "ema": self.ema.state_dict() if self.ema is not None else None}

    def load_state_dict(self, state: dict) -> None:
        """Put back what state_dict saved (a checkpoint without it leaves the fresh state)."""
        if state.get("scaler"):
            self.scaler.load_state_dict(state["scaler"])
        if state.get("ema") is not None and self.ema is not None:
            self.ema.load_state_dict(state["ema"])
