"""The affine-block fold of convert/onnx_fold.py: what it rewrites, what it must leave, and that ORT's answers stay."""

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from hashtagnet.convert.onnx_fold import fold_affine_blocks


def _const(name: str, value) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))


def _block_graph() -> onnx.ModelProto:
    """Conv -> affine -> hard-swish -> affine -> 1x1 conv, then affine -> padded depthwise conv (must stay), as Paddle2ONNX writes them."""
    rng = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(rng.normal(size=(8, 3, 3, 3)).astype(np.float32), "w1"),
        numpy_helper.from_array(rng.normal(size=8).astype(np.float32), "b1"),
        numpy_helper.from_array(rng.normal(size=(6, 8, 1, 1)).astype(np.float32), "w2"),
        numpy_helper.from_array(rng.normal(size=6).astype(np.float32), "b2"),
        numpy_helper.from_array(rng.normal(size=(6, 1, 3, 3)).astype(np.float32), "w3"),
    ]
    nodes = [
        _const("a", 1.3), _const("b", -0.2), _const("three", 3.0), _const("zero", 0.0), _const("six", 6.0), _const("six_div", 6.0),
        _const("c", 0.7), _const("d", 0.4), _const("e", 1.1), _const("f", 0.3),
        helper.make_node("Conv", ["x", "w1", "b1"], ["conv1"], pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["a", "conv1"], ["scaled"]),
        helper.make_node("Add", ["scaled", "b"], ["shifted"]),
        helper.make_node("Add", ["shifted", "three"], ["plus3"]),
        helper.make_node("Clip", ["plus3", "zero", "six"], ["clipped"]),
        helper.make_node("Mul", ["shifted", "clipped"], ["gated"]),
        helper.make_node("Div", ["gated", "six_div"], ["hswish"]),
        helper.make_node("Mul", ["c", "hswish"], ["scaled2"]),
        helper.make_node("Add", ["scaled2", "d"], ["shifted2"]),
        helper.make_node("Conv", ["shifted2", "w2", "b2"], ["conv2"]),
        helper.make_node("Mul", ["e", "conv2"], ["scaled3"]),
        helper.make_node("Relu", ["scaled3"], ["relu"]),  # not an affine block: the Mul must stay
        helper.make_node("Mul", ["f", "relu"], ["scaled4"]),
        helper.make_node("Add", ["scaled4", "d"], ["shifted4"]),
        helper.make_node("Conv", ["shifted4", "w3"], ["y"], group=6, pads=[1, 1, 1, 1]),
    ]
    graph = helper.make_graph(
        nodes, "blocks", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, 12, 16])], inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])


def _run(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def test_fold_rewrites_the_blocks_it_can_and_keeps_the_answers():
    model = _block_graph()
    folded, counts = fold_affine_blocks(model)
    assert counts == {"affine_after_conv": 1, "affine_before_pointwise": 1, "affine_before_padded_conv_kept": 1, "hard_swish": 1}
    ops = [n.op_type for n in folded.graph.node if n.op_type != "Constant"]
    assert ops.count("Div") == 0 and ops.count("Clip") == 0 and ops.count("HardSigmoid") == 1
    # Conv, HardSigmoid, Mul (gate), Conv, Mul (before Relu), Relu, Mul, Add (before the padded conv), Conv.
    assert len(ops) == 9, ops
    x = np.random.default_rng(1).normal(scale=2.0, size=(1, 3, 12, 16)).astype(np.float32)
    want, got = _run(model, x), _run(folded, x)
    assert np.abs(got - want).max() < 1e-4 * max(1.0, np.abs(want).max())


def test_fold_leaves_a_graph_without_blocks_unchanged():
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "plain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    folded, counts = fold_affine_blocks(model)
    assert counts == {} and [n.op_type for n in folded.graph.node] == ["Relu"]
