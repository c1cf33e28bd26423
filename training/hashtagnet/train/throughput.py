"""Pretraining throughput on synthetic input: images per second for full SGD steps (bf16 + channels_last on GPU)."""

from __future__ import annotations

import argparse
import json
import time
from contextlib import nullcontext

import torch
import torchvision
from efficientnet_lite_pytorch import EfficientNet

from .losses import softmax_cross_entropy


def build_for_throughput(model_name: str, classes: int) -> torch.nn.Module:
    """A torchvision classifier by name, or `efficientnet-lite0..4` (the served family), randomly initialised."""
    if model_name.startswith("efficientnet-lite"):
        return EfficientNet.from_name(model_name, num_classes=classes)
    return torchvision.models.get_model(model_name, weights=None, num_classes=classes)


def measure(model_name: str, size: int, batch: int, steps: int, warmup: int, device: str, classes: int) -> dict:
    """Time `steps` optimiser steps after `warmup` untimed ones; the input never leaves the device."""
    dev = torch.device(device)
    cuda = dev.type == "cuda"
    if cuda:
        torch.backends.cudnn.benchmark = True
    model = build_for_throughput(model_name, classes).to(dev, memory_format=torch.channels_last)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
    x = torch.randn(batch, 3, size, size, device=dev).contiguous(memory_format=torch.channels_last)
    target = torch.zeros(batch, classes, device=dev)
    target[torch.arange(batch), torch.randint(0, classes, (batch,))] = 1.0
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if cuda else nullcontext()
    sync = torch.cuda.synchronize if cuda else (lambda: None)

    def step():
        with autocast:
            loss = softmax_cross_entropy(model(x), target)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()

    for _ in range(warmup):
        step()
    sync()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    seconds = time.perf_counter() - started
    return {"model": model_name, "image_size": size, "batch": batch, "steps": steps, "device": str(dev),
            "device_name": torch.cuda.get_device_name(dev) if cuda else "cpu", "precision": "bf16 autocast" if cuda else "fp32",
            "memory_format": "channels_last", "images_per_second": round(batch * steps / seconds, 1),
            "peak_memory_gib": round(torch.cuda.max_memory_allocated(dev) / 2**30, 2) if cuda else None,
            "torch": torch.__version__}


def main(argv: list[str] | None = None) -> dict:
    """CLI: python -m hashtagnet.train.throughput --model resnext101_32x8d|efficientnet-lite2 --size 224 --batch 256."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="resnext101_32x8d")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--classes", type=int, default=1500, help="1.5k hashtags, as in the paper's largest runs")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args(argv)
    result = measure(args.model, args.size, args.batch, args.steps, args.warmup, args.device, args.classes)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
