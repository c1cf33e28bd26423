"""The served graph with heads added: the original nodes and outputs untouched, plus one Gemm and Softmax per head
reading the pooled features, so a request pays a few matrix products, not a second network."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .features import pooled_name
from .train import GatheredHead, LinearHead


def head_output(name: str) -> str:
    """The graph output that carries a head's probabilities."""
    return f"{name}_probabilities"


def add_heads(model: onnx.ModelProto, heads: dict[str, LinearHead | GatheredHead]) -> onnx.ModelProto:
    """A copy of the model with each head's probabilities as an extra output [N, labels] after the original ones: a
    linear head reads the pooled features (Gemm, Softmax), a gathered head sums the ImageNet probabilities (MatMul)."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    features, probabilities = pooled_name(graph), graph.output[0].name
    for name, head in heads.items():
        weight = f"heads.{name}.weight"
        if isinstance(head, GatheredHead):
            graph.initializer.append(numpy_helper.from_array(head.matrix.astype(np.float32), weight))
            graph.node.append(helper.make_node("MatMul", [probabilities, weight], [head_output(name)], name=f"heads_{name}_matmul"))
        else:
            bias, logits = f"heads.{name}.bias", f"heads.{name}.logits"
            graph.initializer.extend([numpy_helper.from_array(head.weight.astype(np.float32), weight),
                                      numpy_helper.from_array(head.bias.astype(np.float32), bias)])
            graph.node.extend([helper.make_node("Gemm", [features, weight, bias], [logits], name=f"heads_{name}_gemm"),
                               helper.make_node("Softmax", [logits], [head_output(name)], axis=1, name=f"heads_{name}_softmax")])
        graph.output.append(helper.make_tensor_value_info(head_output(name), TensorProto.FLOAT, ["batch", len(head.labels)]))
    onnx.checker.check_model(model, full_check=True)
    return model
