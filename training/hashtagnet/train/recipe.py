"""Training recipes: YAML files with defaults, dotted overrides, validated once and saved next to checkpoints."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from .overrides import parse_value

DEFAULTS: dict = {
    "name": "run",
    "seed": 0,
    "model": {"backbone": "mini_resnet", "options": {}, "init_from": None, "freeze_trunk": False},
    "data": {"kind": "hashtags", "sources": [], "image_size": 32, "vocabulary": {"top_k": 1000},
             "val_sources": [], "url_command": None, "dedup_against": [], "classes": None},
    "sampling": "sqrt",
    "loss": "softmax",
    "optim": {"base_lr": 0.1, "reference_batch": 256, "momentum": 0.9, "nesterov": True,
              "weight_decay": 1e-4, "warmup_steps": 0, "schedule": "cosine", "clip_grad_norm": 0.0, "accumulate": 1},
    "batch_size": 64,
    "steps": 100,
    "augment": {"flip": True, "pad_crop": 2},
    "normalise": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
    "checkpoint": {"dir": "runs/run", "every": 0, "keep_last": 3},
    # The streaming trainer (train/streaming.py): loader workers, the label map, evaluation and metrics.
    "stream": {"label_map": None, "workers": 2, "prefetch": 2, "pin_memory": "auto", "scale": [0.08, 1.0],
               "shuffle": 256},
    "eval": {"every": 0, "batches": 0},
    "log": {"every": 1, "jsonl": "metrics.jsonl", "tensorboard": False},
    "device": "auto",
    "channels_last": "auto",
    "threads": 0,
    # The streaming trainer's numerics (train/step.py): "auto" is bf16 autocast on CUDA and fp32 on CPU; fp16 uses a
    # gradient scaler. EMA of the weights (decay 0: off) is what final.pt carries and evaluation uses.
    "precision": "auto",
    "ema": {"decay": 0.0},
    "compile": False,
    "sync_bn": "auto",
    "cudnn_benchmark": True,
}


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _set_dotted(recipe: dict, dotted: str, value) -> None:
    *parents, leaf = dotted.split(".")
    node = recipe
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value


# Sections whose keys are open: backbone keyword arguments, and the vocabulary rule ({top_k} or {targets} or {file}).
OPEN_SECTIONS = ("model.options", "data.vocabulary")


def unknown_keys(recipe: dict, defaults: dict = DEFAULTS, prefix: str = "") -> list[str]:
    """Dotted names of every key, at any depth, that the defaults do not define (open sections excepted)."""
    found = []
    for key, value in recipe.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            found.append(dotted)
        elif isinstance(value, dict) and isinstance(defaults[key], dict) and dotted not in OPEN_SECTIONS:
            found.extend(unknown_keys(value, defaults[key], dotted + "."))
    return found


def validate(recipe: dict) -> dict:
    """Reject unknown keys (nested ones by their dotted name) and impossible values, naming each problem."""
    problems = [f"unknown key {k!r}" for k in unknown_keys(recipe)]
    if recipe["sampling"] not in ("natural", "sqrt", "uniform"):
        problems.append(f"sampling {recipe['sampling']!r}")
    if recipe["loss"] not in ("softmax", "sigmoid"):
        problems.append(f"loss {recipe['loss']!r}")
    if recipe["batch_size"] < 1 or recipe["steps"] < 0:
        problems.append("batch_size must be >= 1 and steps >= 0")
    if recipe["precision"] not in ("auto", "fp32", "bf16", "fp16"):
        problems.append(f"precision {recipe['precision']!r}")
    if recipe["optim"]["accumulate"] < 1 or recipe["batch_size"] % recipe["optim"]["accumulate"]:
        problems.append("optim.accumulate must be >= 1 and divide batch_size")
    for key in ("sources", "val_sources", "dedup_against"):
        if isinstance(recipe["data"][key], str):
            recipe["data"][key] = [recipe["data"][key]]
    if recipe["data"]["kind"] not in ("hashtags", "folders"):
        problems.append(f"data.kind {recipe['data']['kind']!r}")
    if problems:
        raise ValueError("bad recipe: " + "; ".join(problems))
    return recipe


def load_recipe(path: Path | None = None, overrides: list[str] | None = None, extra: dict | None = None) -> dict:
    """Defaults <- YAML file <- `extra` dict <- `key.sub=value` overrides (values read by overrides.parse_value)."""
    recipe = _merge(DEFAULTS, yaml.safe_load(Path(path).read_text()) or {} if path else {})
    recipe = _merge(recipe, extra or {})
    for item in overrides or []:
        key, _, raw = item.partition("=")
        _set_dotted(recipe, key.strip(), parse_value(raw))
    return validate(recipe)


def save_recipe(recipe: dict, directory: Path) -> Path:
    """Write recipe.yaml into a checkpoint directory."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe, sort_keys=False))
    return path
