"""The training loop: learning-rate scaling and warm-up, exact resume from a checkpoint, the linear probe."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import yaml

from hashtagnet.data.corpus import ImageTable
from hashtagnet.models.backbones import build_model
from hashtagnet.train.checkpoints import latest_checkpoint
from hashtagnet.train.loop import fit, make_optimiser
from hashtagnet.train.recipe import load_recipe
from hashtagnet.train.throughput import measure


def _table(n: int = 48) -> ImageTable:
    rng = np.random.default_rng(0)
    labels = [[int(i % 3)] if i % 4 else [int(i % 3), 3] for i in range(n)]
    return ImageTable(rng.integers(0, 255, (n, 16, 16, 3), dtype=np.uint8), labels, ["a", "b", "c", "d"], [str(i) for i in range(n)])


def _recipe(tmp_path, **extra) -> dict:
    base = {"model": {"options": {"width": 4, "stages": 2}}, "batch_size": 8, "steps": 6, "device": "cpu",
            "optim": {"warmup_steps": 2, "base_lr": 0.4}, "checkpoint": {"dir": str(tmp_path / "ckpt"), "every": 3}}
    return load_recipe(extra=_deep(base, extra))


def _deep(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep(out.get(k, {}), v) if isinstance(v, dict) else v
    return out


def _model(recipe, classes=4):
    torch.manual_seed(recipe["seed"])
    return build_model("mini_resnet", classes, **recipe["model"]["options"])


def test_learning_rate_scales_with_the_global_batch_and_warms_up(tmp_path):
    recipe = _recipe(tmp_path, batch_size=512)
    optimiser, scheduler = make_optimiser(_model(recipe), recipe, 512)
    assert optimiser.param_groups[0]["lr"] == pytest.approx(0.4 * 512 / 256 * 0.5)  # first warm-up step: half
    assert optimiser.param_groups[0]["nesterov"] is True
    optimiser.step()
    scheduler.step()
    assert optimiser.param_groups[0]["lr"] == pytest.approx(0.8)


def test_resuming_from_a_checkpoint_gives_bitwise_the_same_weights(tmp_path):
    straight_recipe = _recipe(tmp_path / "a")
    straight = _model(straight_recipe)
    fit(straight, _table(), straight_recipe)
    halted_recipe = _recipe(tmp_path / "b")
    fit(_model(halted_recipe), _table(), halted_recipe, halt_at=3)
    resumed_recipe = _recipe(tmp_path / "b")
    resumed = _model(resumed_recipe)
    torch.manual_seed(1234)  # resume must not depend on the caller's RNG state
    fit(resumed, _table(), resumed_recipe, resume=latest_checkpoint(tmp_path / "b" / "ckpt"))
    for (name, a), b in zip(straight.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(a, b), name


def test_the_recipe_is_saved_next_to_each_checkpoint(tmp_path):
    recipe = _recipe(tmp_path)
    fit(_model(recipe), _table(), recipe)
    assert sorted(p.name for p in (tmp_path / "ckpt").glob("*.pt")) == ["step-0000003.pt", "step-0000006.pt"]
    assert yaml.safe_load((tmp_path / "ckpt" / "recipe.yaml").read_text()) == recipe


def test_a_linear_probe_trains_the_head_and_leaves_the_trunk_untouched(tmp_path):
    recipe = _recipe(tmp_path, model={"freeze_trunk": True}, checkpoint={"every": 0})
    model = _model(recipe)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    fit(model, _table(), recipe)
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before if k.startswith("trunk."))
    assert not torch.equal(before["head.weight"], after["head.weight"])


def test_sigmoid_and_natural_sampling_recipes_train_too(tmp_path):
    recipe = _recipe(tmp_path, loss="sigmoid", sampling="natural", checkpoint={"every": 0})
    result = fit(_model(recipe), _table(), recipe)
    assert result["steps"] == 6 and np.isfinite(result["final_loss"])


def test_bad_recipes_name_every_problem():
    with pytest.raises(ValueError, match="sampling 'log'.*loss 'hinge'"):
        load_recipe(extra={"sampling": "log", "loss": "hinge"})


def test_the_throughput_script_runs_full_training_steps_on_synthetic_input():
    result = measure("resnet18", size=32, batch=4, steps=2, warmup=1, device="cpu", classes=10)
    assert result["images_per_second"] > 0 and result["memory_format"] == "channels_last"


def test_an_unknown_nested_key_is_an_error_that_names_it():
    with pytest.raises(ValueError, match="unknown key 'optim.warmup_step'"):
        load_recipe(overrides=["optim.warmup_step=10"])
    with pytest.raises(ValueError, match="unknown key 'checkpoint.evry'.*unknown key 'shuffle'"):
        load_recipe(extra={"checkpoint": {"evry": 3}, "shuffle": True})


def test_open_sections_take_any_key():
    recipe = load_recipe(extra={"model": {"options": {"width": 4}}, "data": {"vocabulary": {"targets": ["n1"]}}})
    assert recipe["model"]["options"] == {"width": 4}
