"""The streaming trainer: shards split per node and worker, corrupt records skipped and counted, metrics per step,
resampling by repeat factors, and a stopped run that resumes to the same weights."""

from __future__ import annotations

import logging
from itertools import islice

import pytest
import torch

from hashtagnet.data import shards as shard_module
from hashtagnet.data.shards import ShardStream, in_worker_order, multi_hot, my_shards
from hashtagnet.labels.label_map import LabelMap, RepeatFactors
from hashtagnet.models.backbones import build_model
from hashtagnet.train import distributed, metrics
from hashtagnet.train.metrics import read_metrics
from hashtagnet.train.recipe import load_recipe
from hashtagnet.train.streaming import fit_stream

from stream_fixtures import label_map, write_stream_shards


def _recipe(tmp_path, shards, run="run", **extra) -> dict:
    base = {"name": "stream-test", "seed": 1, "steps": 6, "batch_size": 8, "device": "cpu", "sampling": "sqrt",
            "model": {"options": {"width": 4, "stages": 2}}, "data": {"sources": shards, "image_size": 16},
            "stream": {"workers": 2, "prefetch": 2, "scale": [0.3, 1.0]},
            "optim": {"base_lr": 0.2, "warmup_steps": 2}, "checkpoint": {"dir": str(tmp_path / run), "every": 3}}
    for key, value in extra.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return load_recipe(extra=base)


def _model(recipe):
    torch.manual_seed(recipe["seed"])
    return build_model("mini_resnet", 4, **recipe["model"]["options"])


def test_each_shard_goes_to_exactly_one_node_and_worker(monkeypatch):
    urls = [f"s{i}.tar" for i in range(10)]
    seen = []
    for rank in range(2):
        for worker in range(2):
            monkeypatch.setenv("RANK", str(rank))
            monkeypatch.setenv("WORLD_SIZE", "2")
            monkeypatch.setattr(torch.utils.data, "get_worker_info", lambda w=worker: type("I", (), {"id": w, "num_workers": 2}))
            seen.extend(url for _, url in my_shards(urls, seed=0, epoch=3))
    assert sorted(seen) == sorted(urls)


def test_training_streams_through_two_workers_skips_the_corrupt_record_and_logs_every_step(tmp_path, caplog):
    shards = write_stream_shards(tmp_path / "shards")
    recipe = _recipe(tmp_path, shards, steps=8, checkpoint={"every": 0}, stream={"workers": 2})
    with caplog.at_level(logging.WARNING, logger="hashtagnet.shards"):
        result = fit_stream(_model(recipe), recipe, label_map(), distributed.join("cpu"))
    rows = read_metrics(tmp_path / "run" / "metrics.jsonl")
    assert result["steps"] == 8 and [r["step"] for r in rows] == list(range(1, 9))
    assert {"loss", "lr", "images_per_s", "data_wait_s", "grad_norm"} <= set(rows[-1])
    assert rows[-1]["corrupt"] >= 1 and rows[-1]["records"] >= 8 * 8 * 0.5


def test_a_stopped_run_resumes_from_its_latest_checkpoint_to_the_same_weights(tmp_path):
    shards = write_stream_shards(tmp_path / "shards")
    straight = _recipe(tmp_path, shards, "straight", steps=7)
    reference = _model(straight)
    fit_stream(reference, straight, label_map(), distributed.join("cpu"))
    fit_stream(_model(straight), _recipe(tmp_path, shards, "halted", steps=7), label_map(), distributed.join("cpu"), halt_at=5)
    resumed_recipe = _recipe(tmp_path, shards, "halted", steps=7)
    resumed = _model(resumed_recipe)
    result = fit_stream(resumed, resumed_recipe, label_map(), distributed.join("cpu"))
    assert result["resumed_from"] == 3  # steps 4 and 5 of the halted run are done again, as after a kill
    for (name, a), b in zip(reference.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(a, b), name
    assert sorted(p.name for p in (tmp_path / "halted").glob("*.pt")) == ["step-0000003.pt", "step-0000006.pt"]
    other_workers = _recipe(tmp_path, shards, "halted", steps=8, stream={"workers": 1})
    messages = []
    result = fit_stream(_model(other_workers), other_workers, label_map(), distributed.join("cpu"), log=messages.append)
    assert result["resumed_from"] == 6 and result["steps"] == 8  # one worker instead of two: positions re-dealt
    assert any("re-dealt" in m for m in messages)


def test_checkpoints_beyond_keep_last_are_removed(tmp_path):
    shards = write_stream_shards(tmp_path / "shards", shards=2)
    recipe = _recipe(tmp_path, shards, steps=4, checkpoint={"every": 1, "keep_last": 2}, stream={"workers": 0})
    fit_stream(_model(recipe), recipe, label_map(), distributed.join("cpu"))
    assert sorted(p.name for p in (tmp_path / "run").glob("step-*.pt")) == ["step-0000003.pt", "step-0000004.pt"]
    assert (tmp_path / "run" / "latest").read_text().strip() == "step-0000004.pt"


def test_evaluation_runs_every_n_steps_on_the_held_out_shards(tmp_path):
    shards = write_stream_shards(tmp_path / "shards", shards=3)
    recipe = _recipe(tmp_path, shards[:2], steps=4, data={"val_sources": shards[2:]}, eval={"every": 2},
                     checkpoint={"every": 0}, stream={"workers": 0})
    fit_stream(_model(recipe), recipe, label_map(), distributed.join("cpu"))
    evals = [r for r in read_metrics(tmp_path / "run" / "metrics.jsonl") if r["kind"] == "eval"]
    assert [r["step"] for r in evals] == [2, 4] and evals[0]["images"] == 12  # the whole held-out shard
    assert 0.0 <= evals[0]["precision_at_1"] <= 1.0


def test_repeat_factors_keep_the_stream_length_and_favour_rare_tags():
    factors = RepeatFactors(LabelMap(["a", "b"], {}, [100, 4]), "sqrt")
    assert factors([0]) < 1 < factors([1])
    assert (100 * factors([0]) + 4 * factors([1])) / 104 == pytest.approx(1.0)
    assert factors([1]) / factors([0]) == pytest.approx(5.0)  # sqrt(100/4): class shares 10:2 from 100:4 images
    assert [RepeatFactors.copies(2.3, u) for u in (0.1, 0.29, 0.31, 0.9)] == [3, 3, 2, 2]


def test_the_worker_order_is_restored_after_a_resume():
    batches = [(None, None, {"worker": w}) for w in (0, 1, 2, 0, 1, 2)]
    assert [b[2]["worker"] for b in in_worker_order(iter(batches), 1, 3)] == [1, 2, 0, 1, 2, 0]


def test_padded_labels_become_multi_hot_targets():
    targets = multi_hot(torch.tensor([[0, 2, -1], [1, -1, -1]]), 3)
    assert targets.tolist() == [[1, 0, 1], [0, 1, 0]]
    assert shard_module.MAX_LABELS >= 8


def test_asking_for_tensorboard_events_without_tensorboard_is_an_error_at_start(tmp_path):
    if metrics.SummaryWriter is not None:
        pytest.skip("tensorboard is installed here")
    with pytest.raises(RuntimeError, match="tensorboard package is not installed"):
        metrics.MetricsLog(tmp_path / "m.jsonl", tmp_path / "tb")


def _adjacent_copies(shards, shuffle: int) -> int:
    rare_blue = LabelMap(["r", "g", "b"], {"red": [0], "green": [1], "blue": [2]}, [10, 10, 1])  # blue: r = 2.9
    stream = ShardStream(shards, rare_blue, batch_size=48, size=8, seed=0, sampling="sqrt", shuffle=shuffle)
    stream._view = lambda image, key, copy: key  # the record's identity instead of its pixels
    keys = [key for key, _, _ in islice(stream._shuffled(0, {"records": 0, "corrupt": 0, "unlabelled": 0}), 96)]
    return sum(a == b for a, b in zip(keys, keys[1:]))


def test_copies_of_a_repeated_record_are_spread_by_the_block_shuffle(tmp_path):
    shards = write_stream_shards(tmp_path / "shards", shards=1)
    unshuffled, shuffled = _adjacent_copies(shards, 1), _adjacent_copies(shards, 48)
    print(f"adjacent copies in 96 samples: {unshuffled} unshuffled, {shuffled} with blocks of 48")
    assert unshuffled >= 20 and shuffled <= 5, (unshuffled, shuffled)
