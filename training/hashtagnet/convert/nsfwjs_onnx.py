"""Build the ONNX graph of a Keras functional model read from TF.js, with nsfwjs's preprocessing in front."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from .nsfwjs_layers import GraphBuilder, convert_layer

OPSET = 17
IR_VERSION = 8  # the IR that goes with opset 17; onnxruntime-node 1.30 reads IR <= 13


def _preprocess(g: GraphBuilder, input_name: str, height: int, width: int) -> str:
    """uint8 NHWC RGB -> float32 NCHW in [0, 1], as nsfwjs does (toFloat().div(255))."""
    as_float = g.node("Cast", [input_name], "preprocess/cast", to=TensorProto.FLOAT)
    scaled = g.node("Div", [as_float, g.const("preprocess/255", np.array(255.0, np.float32))], "preprocess/scale")
    out = g.node("Transpose", [scaled], "preprocess/nchw", perm=[0, 3, 1, 2])
    g.shapes[out] = (height, width, 3)
    return out


def keras_to_onnx(model, input_name: str, output_name: str) -> onnx.ModelProto:
    """Translate a single-input, single-output Keras functional model into ONNX with uint8 NHWC input."""
    g = GraphBuilder(model.weights)
    tensors: dict[str, str] = {}
    height = width = None
    for layer in model.layers:
        cfg, kind = dict(layer["config"], name=layer["name"]), layer["class_name"]
        if kind == "InputLayer":
            _, height, width, _ = cfg["batch_input_shape"]
            tensors[layer["name"]] = _preprocess(g, input_name, height, width)
            continue
        if len(layer["inbound_nodes"]) != 1:
            raise ValueError(f"{layer['name']}: shared layers are not supported")
        inputs = [tensors[entry[0]] for entry in layer["inbound_nodes"][0]]
        tensors[layer["name"]] = convert_layer(g, kind, cfg, inputs)
    (output_layer,) = model.output_layers
    g.node("Identity", [tensors[output_layer]], output_name)
    classes = g.shapes[tensors[output_layer]][0]
    graph = helper.make_graph(
        g.nodes, "nsfwjs",
        [helper.make_tensor_value_info(input_name, TensorProto.UINT8, ["N", height, width, 3])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["N", classes])],
        g.initializers,
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="hashtagnet.nsfwjs_convert")
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    return proto
