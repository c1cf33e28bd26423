"""Checkpoints that resume exactly: model, optimiser, scheduler, sampler and augmentation RNG, step, recipe."""

from __future__ import annotations

import os
from pathlib import Path

import torch

from .recipe import save_recipe


def save_checkpoint(directory: Path, model, optimiser, scheduler, sampler, aug_gen, state: dict, recipe: dict,
                    classes: list[str], name: str | None = None) -> Path:
    """Atomically write step-NNNNNNN.pt (or `name`) and recipe.yaml into `directory`; returns the path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    payload = {
        "model": model.state_dict(),
        "optimiser": optimiser.state_dict() if optimiser else None,
        "scheduler": scheduler.state_dict() if scheduler else None,
        "sampler": sampler.state_dict() if sampler else None,
        "augment_rng": aug_gen.get_state() if aug_gen is not None else None,
        "torch_rng": torch.get_rng_state(),
        "state": {"step": state["step"], "losses": list(state.get("losses", []))},
        "recipe": recipe,
        "classes": list(classes),
    }
    path = directory / (name or f"step-{state['step']:07d}.pt")
    partial = path.with_suffix(".partial")
    torch.save(payload, partial)
    os.replace(partial, path)
    save_recipe(recipe, directory)
    (directory / "latest").write_text(path.name + "\n")
    return path


def latest_checkpoint(directory: Path) -> Path | None:
    """The checkpoint named in directory/latest, if any."""
    pointer = Path(directory) / "latest"
    return Path(directory) / pointer.read_text().strip() if pointer.exists() else None


def load_checkpoint(path: Path, model, optimiser, scheduler, sampler, aug_gen) -> dict:
    """Restore everything save_checkpoint wrote; returns the loop state (step, losses)."""
    payload = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(payload["model"])
    optimiser.load_state_dict(payload["optimiser"])
    scheduler.load_state_dict(payload["scheduler"])
    sampler.load_state_dict(payload["sampler"])
    aug_gen.set_state(payload["augment_rng"])
    torch.set_rng_state(payload["torch_rng"])
    return dict(payload["state"])


def write_checkpoint(directory: Path, payload: dict, step: int, recipe: dict, keep_last: int = 0) -> Path:
    """Atomically write step-NNNNNNN.pt with `payload`, point `latest` at it, keep only the newest keep_last (0: all)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"step-{step:07d}.pt"
    partial = path.with_suffix(".partial")
    torch.save(payload, partial)
    os.replace(partial, path)
    save_recipe(recipe, directory)
    pointer = directory / "latest.partial"
    pointer.write_text(path.name + "\n")
    os.replace(pointer, directory / "latest")
    if keep_last:
        for old in sorted(directory.glob("step-*.pt"))[:-keep_last]:
            old.unlink()
    return path


def rng_states() -> dict:
    """This process's torch CPU and CUDA generator states (the loader's randomness is keyed by record, not here)."""
    return {"torch": torch.get_rng_state(), "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None}


def restore_rng_states(states: dict) -> None:
    """Put back what rng_states saved (CUDA only where this process has CUDA)."""
    torch.set_rng_state(states["torch"])
    if states.get("cuda") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def initialise_from(model, path: str | Path) -> dict:
    """Load a checkpoint's weights into `model` before training (model.init_from): the trunk must match exactly; the
    head is loaded too when its shape matches (the same classes), else it keeps its fresh initialisation. A path that
    does not exist is an error, never a silent start from scratch."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model.init_from: {path} does not exist")
    saved = torch.load(path, map_location="cpu", weights_only=False)
    state = {key.removeprefix("module."): value for key, value in saved.get("model", saved).items()}
    trunk = {k.removeprefix("trunk."): v for k, v in state.items() if k.startswith("trunk.")}
    model.trunk.load_state_dict(trunk, strict=True)
    head = {k.removeprefix("head."): v for k, v in state.items() if k.startswith("head.")}
    mine = model.head.state_dict()
    same = bool(head) and all(k in head and head[k].shape == v.shape for k, v in mine.items())
    if same:
        model.head.load_state_dict(head)
    return {"init_from": str(path), "trunk_tensors": len(trunk), "head": "loaded" if same else "fresh"}
