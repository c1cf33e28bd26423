"""The int8 study of Lite0: measured over >= 300 real-photo views, recorded in the manifest, shipped only above the bar."""

from __future__ import annotations

import numpy as np
import pytest

from hashtagnet import MODELS_DIR
from hashtagnet.data import photos
from hashtagnet.export import bundle, machine, quantize, runtime

FP32 = MODELS_DIR / "efficientnet-lite0"
INT8 = MODELS_DIR / "efficientnet-lite0-int8"
# The agreement depends on the CPU (ONNX Runtime's int8 kernels differ with VNNI). The S8S8 recipe recorded 0.901 on
# 836 held-out views on AVX2 without VNNI (the earlier U8S8 one: 0.851 there). The floor sits under it and well above
# what a broken recipe gives (0.28-0.61 for the levers in training/README.md), so it catches the recipe, not the CPU.
AGREEMENT_FLOOR = 0.80


@pytest.fixture(scope="module")
def manifest():
    return bundle.read_bundle(FP32)


@pytest.fixture(scope="module")
def sets(manifest):
    return photos.int8_photo_sets(manifest["input"])


@pytest.fixture(scope="module")
def fresh_study(manifest, sets, tmp_path_factory):
    # A quarter of the calibration views and a third of the held-out views keep this under a minute here; the
    # recorded study (model.json) used all of them.
    return quantize.int8_study(FP32, tmp_path_factory.mktemp("int8") / "model.onnx", sets["calibration"][::4],
                               sets["agreement"][::3], threads=1, recipe=quantize.RECIPE, latency=False)


def test_calibration_and_agreement_photos_are_several_hundred_views_and_share_no_image(sets):
    assert not set(sets["calibration_photos"]) & set(sets["agreement_photos"])
    assert len(sets["calibration_photos"]) + len(sets["agreement_photos"]) == len(photos.natural_photos())
    assert len(sets["calibration"]) >= 300 and len(sets["agreement"]) >= 300


def test_zeroing_dead_channels_leaves_the_fp32_output_unchanged(manifest, sets, tmp_path):
    cleaned = tmp_path / "cleaned.onnx"
    assert quantize.zero_dead_channels(FP32 / "model.onnx", cleaned) > 0
    pixels = sets["agreement"][::20]
    before = runtime.predict(runtime.open_session(FP32 / "model.onnx"), pixels)
    after = runtime.predict(runtime.open_session(cleaned), pixels)
    assert np.abs(before - after).max() < 1e-5


def test_a_fresh_int8_build_agrees_with_fp32_above_the_floor_on_any_x86_64_cpu(manifest, fresh_study):
    recorded = manifest["metrics"]["int8"]
    assert recorded["agreement"]["inputs"] >= 300 and recorded["method"]["activation"] == "QInt8"
    assert fresh_study["method"]["activation"] == fresh_study["method"]["weight"] == "QInt8"
    assert fresh_study["agreement"]["top1_agreement"] >= AGREEMENT_FLOOR
    assert recorded["agreement"]["top1_agreement"] >= AGREEMENT_FLOOR


def test_the_study_names_the_cpu_it_was_measured_on(fresh_study):
    assert fresh_study["cpu"] == machine.cpu_model() and fresh_study["cpu"]
    assert set(fresh_study["cpu_int8_features"]) <= set(machine.INT8_FEATURES)


def test_the_study_records_fp32_and_int8_latency_side_by_side(manifest):
    # Speed is a benchmark's claim, not a unit test's: a loaded machine can flip any timing bound. This checks the record.
    for batch in ("batch1", "batch8"):
        row = manifest["metrics"]["int8"]["latency"][batch]
        assert row["fp32_ms"] > 0 and row["int8_ms"] > 0
        assert abs(row["speedup"] - row["fp32_ms"] / row["int8_ms"]) < 0.01


def test_the_int8_bundle_is_shipped_exactly_when_agreement_reaches_98_percent(manifest):
    study = manifest["metrics"]["int8"]
    reached = study["agreement"]["top1_agreement"] >= quantize.AGREEMENT_BAR
    assert study["shipped"] == reached == INT8.exists()
    if reached:
        assert bundle.read_bundle(INT8)["precision"] == "int8"
