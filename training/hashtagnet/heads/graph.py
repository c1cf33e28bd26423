"""The served graph with heads added: the original nodes and outputs untouched, plus one Gemm and Softmax per head
reading the pooled features, so a request pays a few matrix products, not a second network."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .features import pooled_name
from .train import LinearHead


def head_output(name: str) -> str:
    """The graph output that carries a head's probabilities."""
    return f"{name}_probabilities"


def add_heads(model: onnx.ModelProto, heads: dict[str, LinearHead]) -> onnx.ModelProto:
    """A copy of the model with each head's probabilities as an extra output [N, labels] after the original ones."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    features = pooled_name(graph)
    for name, head in heads.items():
        weight, bias = f"heads.{name}.weight", f"heads.{name}.bias"
        graph.initializer.extend([numpy_helper.from_array(head.weight.astype(np.float32), weight),
                                  numpy_helper.from_array(head.bias.astype(np.float32), bias)])
        logits = f"heads.{name}.logits"
        graph.node.extend([helper.make_node("Gemm", [features, weight, bias], [logits], name=f"heads_{name}_gemm"),
                           helper.make_node("Softmax", [logits], [head_output(name)], axis=1, name=f"heads_{name}_softmax")])
        graph.output.append(helper.make_tensor_value_info(head_output(name), TensorProto.FLOAT, ["batch", len(head.labels)]))
    onnx.checker.check_model(model, full_check=True)
    return model
