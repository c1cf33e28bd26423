"""The committed caption bundles: manifests valid against the shared schema, files intact, numbers within the bars."""

from __future__ import annotations

import copy
import re

import jsonschema
import onnx
import pytest

from hashtagnet import MODELS_DIR
from hashtagnet.data.imagenet import imagenet_class_ids
from hashtagnet.export import bundle
from hashtagnet.labels.hierarchy import HierarchyError
from hashtagnet.models import efficientnet_lite

CAPTION_BUNDLES = {"efficientnet-lite0": "lite0", "efficientnet-lite2": "lite2"}
PARITY_BAR = 1e-4


@pytest.fixture(scope="module", params=sorted(CAPTION_BUNDLES))
def committed(request):
    bundle_dir = MODELS_DIR / request.param
    return request.param, bundle_dir, bundle.read_bundle(bundle_dir)


def test_the_manifest_validates_and_its_sha256_matches_the_model_file(committed):
    name, bundle_dir, manifest = committed
    assert manifest["sha256"] == bundle.sha256_file(bundle_dir / "model.onnx")
    assert manifest["name"] == name and manifest["task"] == "caption"


def test_the_classes_are_the_1000_imagenet_ids_in_training_order(committed):
    _, _, manifest = committed
    assert [c["id"] for c in manifest["classes"]] == imagenet_class_ids()
    assert manifest["classes"][281] == {"id": "n02123045", "name": "tabby cat"}


def test_the_onnx_graph_takes_uint8_nhwc_with_a_dynamic_batch_and_returns_probabilities(committed):
    _, bundle_dir, manifest = committed
    graph = onnx.load(str(bundle_dir / "model.onnx")).graph
    (image,), (probabilities,) = graph.input, graph.output
    dims = [d.dim_param or d.dim_value for d in image.type.tensor_type.shape.dim]
    assert image.name == manifest["input"]["name"] and image.type.tensor_type.elem_type == onnx.TensorProto.UINT8
    assert dims == ["batch", manifest["input"]["height"], manifest["input"]["width"], 3]
    assert probabilities.name == manifest["output"]["name"]


def test_recorded_parity_is_within_1e_4_and_every_real_photo_check_passed(committed):
    _, _, manifest = committed
    parity = manifest["metrics"]["parity"]
    assert parity["images"] >= 10 and parity["max_abs_prob_diff"] <= PARITY_BAR
    assert [row["ok"] for row in manifest["metrics"]["real_photos"]] == [True] * 5


def test_provenance_names_the_installed_weights_file_by_its_sha256(committed):
    name, _, manifest = committed
    source = manifest["provenance"]["source"]
    variant = efficientnet_lite.VARIANTS[CAPTION_BUNDLES[name]]
    path = efficientnet_lite.weights_path(variant)
    assert source["package"] == variant.weights_package and source["file"] == path.name
    assert source["file_sha256"] == bundle.sha256_file(path)
    # Bundles exported before the stage sub-packages record hashtagnet.export (still runnable: export/__main__.py).
    assert re.match(r"python -m hashtagnet\.export(\.pretrained)? --variant ", manifest["provenance"]["export_command"])


def test_when_a_class_is_missing_from_the_hierarchy_then_validation_fails(committed):
    _, _, manifest = committed
    broken = copy.deepcopy(manifest)
    broken["hierarchy"]["nodes"] = [n for n in broken["hierarchy"]["nodes"] if n["id"] != "n02123045"]
    with pytest.raises(HierarchyError, match="class n02123045 is missing from the hierarchy"):
        bundle.validate_manifest(broken)


def test_when_the_input_is_not_uint8_then_the_schema_refuses_it(committed):
    _, _, manifest = committed
    broken = copy.deepcopy(manifest)
    broken["input"]["dtype"] = "float32"
    with pytest.raises(jsonschema.ValidationError):
        bundle.validate_manifest(broken)


def test_committed_caption_bundles_stay_under_65_mb():
    total = sum(p.stat().st_size for d in MODELS_DIR.glob("efficientnet-*") for p in d.iterdir())
    assert total < 65e6
