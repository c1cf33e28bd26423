"""Checkpoint to served bundle in one command, on a miniature checkpoint: schema, sha256, temperature, ORT = torch."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from hashtagnet import REPO_ROOT
from hashtagnet.data.corpus import labelled_table
from hashtagnet.data.stream import folder_records
from hashtagnet.data.synth import write_target_folders
from hashtagnet.export import bundle, from_checkpoint, runtime
from hashtagnet.models.backbones import build_model
from hashtagnet.train.checkpoints import save_checkpoint, write_checkpoint
from hashtagnet.train.loop import fit, to_model_input
from hashtagnet.train.recipe import load_recipe

SIZE = 32
RECIPE = REPO_ROOT / "training" / "recipes" / "miniature-finetune.yaml"
SERVED_FILES = {"model.onnx", "model.json"}  # the layout of models/efficientnet-lite0


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A mini_resnet fine-tuned for a few steps on generated target images, saved by the table trainer."""
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("ckpt")
    write_target_folders(root / "target", {"train": 3, "calib": 6}, size=SIZE, seed=3)
    table = labelled_table(folder_records(root / "target" / "train"), SIZE)
    recipe = load_recipe(RECIPE, extra={"steps": 4, "batch_size": 9, "model": {"options": {"width": 8, "stages": 2}},
                                        "checkpoint": {"dir": str(root / "run")}})
    model = build_model("mini_resnet", len(table.classes), **recipe["model"]["options"])
    fit(model, table, recipe, log=lambda line: None)
    path = save_checkpoint(root / "run", model.to(memory_format=torch.contiguous_format), *([None] * 4),
                           {"step": 4, "losses": []}, recipe, table.classes, name="final.pt")
    return {"root": root, "checkpoint": path, "recipe": recipe, "classes": table.classes}


@pytest.fixture(scope="module")
def served(trained):
    out = trained["root"] / "bundle"
    manifest = from_checkpoint.main(["--checkpoint", str(trained["checkpoint"]), "--calibration",
                                     str(trained["root"] / "target" / "calib"), "--out", str(out), "--int8"])
    return out, manifest


def test_the_command_writes_the_served_layout_with_a_schema_valid_manifest_and_its_sha256(served):
    out, manifest = served
    assert {p.name for p in out.iterdir()} == SERVED_FILES
    on_disk = json.loads((out / "model.json").read_text())
    assert bundle.schema_errors(on_disk) == []
    assert on_disk["sha256"] == bundle.sha256_file(out / "model.onnx")
    assert bundle.read_bundle(out) == on_disk == manifest
    assert on_disk["provenance"]["export_command"].startswith("python -m hashtagnet.export.from_checkpoint --checkpoint")
    assert on_disk["provenance"]["source"]["checkpoint"] == "final.pt"


def test_the_temperature_is_calibrated_on_the_calibration_set_and_lowers_its_nll(served):
    calibration = served[1]["metrics"]["calibration"]
    assert served[1]["output"]["temperature"] == calibration["temperature"] > 0
    assert calibration["images"] == 9 * 6
    assert calibration["calibrated"]["nll"] <= calibration["uncalibrated"]["nll"] + 1e-6


def test_onnx_runtime_reproduces_the_checkpoint_in_torch_at_the_calibrated_temperature(trained, served):
    out, manifest = served
    model, recipe, _ = from_checkpoint.load_trained(trained["checkpoint"])
    pixels = labelled_table(folder_records(trained["root"] / "target" / "calib"), SIZE, trained["classes"]).images
    with torch.no_grad():
        expected = torch.softmax(model(to_model_input(torch.from_numpy(pixels), recipe)) / manifest["output"]["temperature"], 1)
    actual = runtime.predict(runtime.open_session(out / "model.onnx"), pixels)
    np.testing.assert_allclose(actual, expected.numpy(), atol=1e-5)
    assert manifest["metrics"]["parity"]["max_abs_prob_diff"] < from_checkpoint.PARITY_TOLERANCE


def test_with_int8_the_study_is_recorded_and_the_int8_bundle_exists_exactly_at_the_bar(served):
    out, manifest = served
    study = manifest["metrics"]["int8"]
    assert study["agreement"]["inputs"] == 27 and study["method"]["activation"] == "QInt8"
    assert study["method"]["quantized_nodes"] > 0
    assert study["cpu"] and "cpu_int8_features" in study
    int8_dir = out.parent / f"{out.name}-int8"
    assert study["shipped"] == (study["agreement"]["top1_agreement"] >= 0.98) == int8_dir.exists()


def test_a_streaming_trainer_checkpoint_loads_too(trained, tmp_path):
    model, recipe, classes = from_checkpoint.load_trained(trained["checkpoint"])
    wrapped = {f"module.{k}": v for k, v in model.state_dict().items()}  # as a DDP-wrapped state dict would be named
    path = write_checkpoint(tmp_path, {"model": wrapped, "optimiser": None, "scheduler": None, "step": 4, "ranks": [{}],
                                       "recipe": recipe, "classes": classes}, 4, recipe)
    loaded, _, loaded_classes = from_checkpoint.load_trained(path)
    assert loaded_classes == classes
    for key, value in loaded.state_dict().items():
        assert torch.equal(value, model.state_dict()[key]), key


def test_labels_outside_the_checkpoints_classes_are_refused(trained, tmp_path):
    write_target_folders(tmp_path / "other", {"calib": 1}, size=SIZE, seed=5)
    (tmp_path / "other" / "calib" / "n99999999").mkdir()
    source = next((tmp_path / "other" / "calib").iterdir())
    (tmp_path / "other" / "calib" / "n99999999" / "x.png").write_bytes(next(source.iterdir()).read_bytes())
    with pytest.raises(ValueError, match="n99999999"):
        from_checkpoint.calibration_set(tmp_path / "other" / "calib", trained["classes"], SIZE)
