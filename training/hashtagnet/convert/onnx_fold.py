"""Fold PP-LCNetV3's per-layer affine blocks into the convolutions beside them and shorten its hard-swish.

Paddle2ONNX writes each of PP-OCRv4's "learnable affine blocks" (a scalar scale and shift) as a Mul and an Add, and each
hard-swish as Add(3), Clip(0, 6), Mul and Div(6). ONNX Runtime fuses none of them, and every elementwise op between two
convolutions also costs a layout change on CPU (NCHWc and back). The rewrite is exact in real arithmetic:

- Conv -> Mul(a) -> Add(b), scalar a, b: the conv's weights times a, its bias a * bias + b;
- Mul(c) -> Add(d) -> 1 x 1 Conv without padding or groups: the conv's weights times c, its bias plus d * (sum of the
  weights over its inputs). Before a padded conv the shift would also reach the zero padding, so those stay;
- x * Clip(x + 3, 0, 6) / 6 -> x * HardSigmoid(x, 1/6, 1/2), two ops in place of four (HardSwish itself needs opset 14).

Only float rounding differs; `ppocr_onnx.parity` measures it on real pixels.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import onnx
from onnx import helper, numpy_helper


def _constants(graph: onnx.GraphProto) -> dict[str, np.ndarray]:
    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return values


class _Graph:
    """The node list with its consumers, constants and the nodes marked for removal."""

    def __init__(self, graph: onnx.GraphProto):
        self.graph = graph
        self.nodes = list(graph.node)
        self.values = _constants(graph)
        self.outputs = {o.name for o in graph.output}
        self.consumers: dict[str, list[onnx.NodeProto]] = defaultdict(list)
        for node in self.nodes:
            for name in node.input:
                self.consumers[name].append(node)
        self.dropped: set[int] = set()
        self.replaced: dict[int, list[onnx.NodeProto]] = {}
        self.initializers: list[onnx.TensorProto] = []

    def scalar(self, name: str) -> float | None:
        value = self.values.get(name)
        return float(value.reshape(())) if value is not None and value.size == 1 else None

    def sole(self, name: str, op_type: str) -> onnx.NodeProto | None:
        """The one live consumer of `name` when it is an `op_type` and `name` is not a graph output."""
        live = [n for n in self.consumers[name] if id(n) not in self.dropped]
        return live[0] if len(live) == 1 and live[0].op_type == op_type and name not in self.outputs else None

    @staticmethod
    def other(node: onnx.NodeProto, name: str) -> str:
        first, second = node.input
        return second if first == name else first

    def scalar_operand(self, node: onnx.NodeProto, name: str) -> float | None:
        return self.scalar(self.other(node, name)) if len(node.input) == 2 and name in node.input else None

    def redirect(self, old: str, new: str) -> None:
        for node in self.consumers[old]:
            for i, name in enumerate(node.input):
                if name == old:
                    node.input[i] = new
            self.consumers[new].append(node)

    def conv_weights(self, conv: onnx.NodeProto) -> tuple[np.ndarray, np.ndarray] | None:
        if conv.input[1] not in self.values or (len(conv.input) > 2 and conv.input[2] not in self.values):
            return None
        weights = self.values[conv.input[1]].astype(np.float64)
        bias = self.values[conv.input[2]].astype(np.float64) if len(conv.input) > 2 else np.zeros(weights.shape[0])
        return weights, bias

    def set_conv(self, conv: onnx.NodeProto, source: str, weights: np.ndarray, bias: np.ndarray, tag: str) -> None:
        names = (f"{conv.output[0]}/{tag}_w", f"{conv.output[0]}/{tag}_b")
        for name, value in zip(names, (weights, bias)):
            self.initializers.append(numpy_helper.from_array(value.astype(np.float32), name))
            self.values[name] = value
        del conv.input[:]
        conv.input.extend([source, *names])

    def write(self) -> None:
        kept: list[onnx.NodeProto] = []
        for node in self.nodes:
            if id(node) in self.replaced:
                kept.extend(self.replaced[id(node)])
            elif id(node) not in self.dropped:
                kept.append(node)
        kept = [onnx.NodeProto.FromString(n.SerializeToString()) for n in kept]
        used = {name for node in kept for name in node.input}
        initializers = [t for t in [*self.graph.initializer, *self.initializers] if t.name in used]
        constants = [n for n in kept if n.op_type != "Constant" or n.output[0] in used]
        del self.graph.node[:]
        self.graph.node.extend(constants)
        del self.graph.initializer[:]
        self.graph.initializer.extend(initializers)


def _fold_affine_after_conv(g: _Graph, counts: Counter) -> None:
    for conv in [n for n in g.nodes if n.op_type == "Conv"]:
        out = conv.output[0]
        mul = g.sole(out, "Mul")
        scale = g.scalar_operand(mul, out) if mul else None
        add = g.sole(mul.output[0], "Add") if scale is not None else None
        shift = g.scalar_operand(add, mul.output[0]) if add else None
        params = g.conv_weights(conv) if shift is not None else None
        if params is None:
            continue
        weights, bias = params
        g.set_conv(conv, conv.input[0], weights * scale, bias * scale + shift, "affine_after")
        g.dropped.update((id(mul), id(add)))
        g.redirect(add.output[0], out)
        counts["affine_after_conv"] += 1


def _fold_affine_before_pointwise(g: _Graph, counts: Counter) -> None:
    for mul in [n for n in g.nodes if n.op_type == "Mul" and id(n) not in g.dropped and len(n.input) == 2]:
        scale_name = next((name for name in mul.input if g.scalar(name) is not None), None)
        if scale_name is None:
            continue
        source = g.other(mul, scale_name)
        if source in g.values:
            continue
        add = g.sole(mul.output[0], "Add")
        shift = g.scalar_operand(add, mul.output[0]) if add else None
        conv = g.sole(add.output[0], "Conv") if shift is not None else None
        params = g.conv_weights(conv) if conv else None
        if params is None:
            continue
        weights, bias = params
        attrs = {a.name: helper.get_attribute_value(a) for a in conv.attribute}
        if weights.shape[2:] != (1, 1) or any(attrs.get("pads", [])) or attrs.get("group", 1) != 1 or attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", b"VALID"):
            counts["affine_before_padded_conv_kept"] += 1
            continue
        scale = g.scalar(scale_name)
        g.set_conv(conv, source, weights * scale, bias + shift * weights.sum(axis=(1, 2, 3)), "affine_before")
        g.consumers[source].append(conv)
        g.dropped.update((id(mul), id(add)))
        counts["affine_before_pointwise"] += 1


def _shorten_hard_swish(g: _Graph, counts: Counter) -> None:
    for add in [n for n in g.nodes if n.op_type == "Add" and id(n) not in g.dropped and len(n.input) == 2]:
        three = next((name for name in add.input if g.scalar(name) == 3.0), None)
        if three is None:
            continue
        x = g.other(add, three)
        clip = g.sole(add.output[0], "Clip")
        if not clip or len(clip.input) != 3 or g.scalar(clip.input[1]) != 0.0 or g.scalar(clip.input[2]) != 6.0:
            continue
        mul = g.sole(clip.output[0], "Mul")
        if not mul or g.other(mul, clip.output[0]) != x:
            continue
        div = g.sole(mul.output[0], "Div")
        if not div or div.input[0] != mul.output[0] or g.scalar(div.input[1]) != 6.0:
            continue
        gate = helper.make_node("HardSigmoid", [x], [f"{div.output[0]}/gate"], alpha=1 / 6, beta=0.5)
        g.replaced[id(div)] = [gate, helper.make_node("Mul", [x, gate.output[0]], [div.output[0]])]
        g.dropped.update((id(add), id(clip), id(mul)))
        counts["hard_swish"] += 1


def fold_affine_blocks(model: onnx.ModelProto) -> tuple[onnx.ModelProto, dict[str, int]]:
    """A copy of `model` with the affine blocks folded and hard-swish shortened, and how many of each were rewritten."""
    folded = onnx.ModelProto.FromString(model.SerializeToString())
    g = _Graph(folded.graph)
    counts: Counter = Counter()
    _fold_affine_after_conv(g, counts)
    _fold_affine_before_pointwise(g, counts)
    _shorten_hard_swish(g, counts)
    g.write()
    onnx.checker.check_model(folded, full_check=True)
    return folded, dict(counts)
