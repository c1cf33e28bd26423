"""Kind and scene heads: the heads bundle keeps the served ImageNet output bit-identical on real images, its heads
give probabilities over the labels its manifest lists, and the pieces behave as documented."""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from hashtagnet import MODELS_DIR
from hashtagnet.data.images import load_rgb, resize_for_input
from hashtagnet.export import bundle
from hashtagnet.heads.features import pooled_name
from hashtagnet.heads.graph import add_heads, head_output
from hashtagnet.heads.scenes import SCENES, scene_matrix, weak_scene_labels
from hashtagnet.heads.train import LinearHead, train_linear_head

HEADS = MODELS_DIR / "efficientnet-lite0-heads"
BASE = MODELS_DIR / "efficientnet-lite0"
FIXTURES = MODELS_DIR.parent / "test" / "fixtures"
PHOTOS = ("cat.jpg", "motorcycle.tiff", "text-terminal-03.png", "text-document-02.png")


def _session(path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def pixels():
    spec = json.loads((BASE / "model.json").read_text())["input"]
    return np.stack([resize_for_input(load_rgb(FIXTURES / name), spec) for name in PHOTOS])


def test_the_heads_bundle_gives_the_served_imagenet_probabilities_bit_for_bit(pixels):
    before = _session(BASE / "model.onnx").run(["probabilities"], {"image": pixels})[0]
    after = _session(HEADS / "model.onnx").run(["probabilities"], {"image": pixels})[0]
    assert np.array_equal(before, after)


def test_each_head_gives_a_distribution_over_the_labels_its_manifest_lists(pixels):
    manifest = bundle.read_bundle(HEADS)
    heads = manifest["metrics"]["heads"]
    assert set(heads) == {"kind", "scene"} and "painting" in heads["kind"]["labels"]
    outputs = _session(HEADS / "model.onnx").run([h["output"] for h in heads.values()], {"image": pixels})
    for head, probabilities in zip(heads.values(), outputs):
        assert probabilities.shape == (len(PHOTOS), len(head["labels"]))
        assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_the_pooled_features_are_what_the_final_gemm_reads():
    graph = onnx.load(str(BASE / "model.onnx")).graph
    gemm = next(node for node in graph.node if node.op_type == "Gemm")
    assert pooled_name(graph) == gemm.input[0]


def test_an_added_head_computes_the_numpy_probabilities(pixels):
    model = onnx.load(str(BASE / "model.onnx"))
    rng = np.random.default_rng(0)
    head = LinearHead(("a", "b", "c"), rng.normal(0, 0.05, (1280, 3)).astype(np.float32), np.zeros(3, np.float32))
    combined = add_heads(model, {"probe": head})
    name = pooled_name(model.graph)
    model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    features = ort.InferenceSession(model.SerializeToString()).run([name], {"image": pixels})[0]
    got = ort.InferenceSession(combined.SerializeToString()).run([head_output("probe")], {"image": pixels})[0]
    assert np.abs(got - head.probabilities(features)).max() < 1e-5


def test_every_scene_class_is_a_class_of_the_served_model_and_weak_labels_need_the_threshold():
    names = [c["name"] for c in json.loads((BASE / "model.json").read_text())["classes"]]
    matrix = scene_matrix(names)
    assert (matrix.sum(axis=0) > 0).all() and matrix.sum(axis=1).max() == 1
    probabilities = np.zeros((2, len(names)), np.float32)
    probabilities[0, names.index("seashore")] = 0.6
    probabilities[1, names.index("seashore")] = 0.2
    assert weak_scene_labels(probabilities, matrix, 0.3).tolist() == [SCENES.index("seaside or water"), len(SCENES)]


def test_a_linear_head_separates_separable_features_and_folds_the_standardisation():
    rng = np.random.default_rng(1)
    features = np.concatenate([rng.normal(5, 1, (50, 8)), rng.normal(-5, 1, (50, 8))]).astype(np.float32) * 30 + 100
    targets = np.array([0] * 50 + [1] * 50)
    head = train_linear_head(features, targets, ("left", "right"), epochs=100)
    assert (head.probabilities(features).argmax(axis=1) == targets).all()
