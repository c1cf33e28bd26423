"""Build the ONNX graph of NanoDet from its TF.js graph: uint8 NHWC in, the network, the GFL box decode, one output."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper

from .tfjs_graph import TfjsGraph

OPSET = 18  # Resize with an `axes` attribute, so sizes need no batch dimension
IR_VERSION = 8  # the IR that goes with opset 18; onnxruntime-node 1.30 reads IR <= 13
NCHW_OF_NHWC = [0, 3, 1, 2]  # ONNX axis i of a lazily transposed tensor is TF axis NCHW_OF_NHWC[i]
NHWC_OF_NCHW = [0, 2, 3, 1]
_UNARY = {"LeakyRelu": "LeakyRelu", "Sigmoid": "Sigmoid", "Relu": "Relu"}


@dataclass(frozen=True)
class Value:
    """A TF tensor as held in ONNX: `nchw` means TF has it NHWC and ONNX holds it NCHW; `pad` is a TF Pad not yet
    emitted, as (fill value, ONNX pads over the ONNX tensor's axes), so a Conv or MaxPool can absorb it."""

    name: str
    nchw: bool = False
    pad: tuple[float, tuple[int, ...]] | None = None


class OnnxGraph:
    """Nodes and initializers under construction, with names that never collide."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.producer: dict[str, onnx.NodeProto] = {}
        self._names: set[str] = set()

    def unique(self, name: str) -> str:
        """`name`, or `name_k` for the first k that is still free."""
        candidate, k = name, 0
        while candidate in self._names:
            k += 1
            candidate = f"{name}_{k}"
        self._names.add(candidate)
        return candidate

    def node(self, op: str, inputs: list[str], name: str, outputs: int = 1, **attrs) -> list[str]:
        """Append one node; returns its output tensor names."""
        name = self.unique(name)
        outs = [name] + [self.unique(f"{name}:{k}") for k in range(1, outputs)]
        proto = helper.make_node(op, inputs, outs, name=name, **attrs)
        self.nodes.append(proto)
        for out in outs:
            self.producer[out] = proto
        return outs

    def const(self, name: str, array: np.ndarray) -> str:
        """An initializer holding `array`."""
        name = self.unique(name)
        self.initializers.append(onnx.numpy_helper.from_array(np.asarray(array), name))
        return name


def _fold_sparse_to_dense(indices, shape, values, default) -> np.ndarray:
    """TF SparseToDense on constants (here: empty index lists that onnx-tf left in the reshape shapes)."""
    shape = np.atleast_1d(shape)
    dense = np.full(shape, default, dtype=np.asarray(default).dtype)
    points = np.asarray(indices).reshape(-1, len(shape))
    dense[tuple(points.T)] = np.broadcast_to(values, (len(points),))
    return dense


_FOLD = {"Add": np.add, "AddV2": np.add, "SparseToDense": _fold_sparse_to_dense}


def topological_order(graph: TfjsGraph, outputs: list[str]) -> list:
    """The nodes the outputs depend on, each after its inputs."""
    by_name = {n.name: n for n in graph.nodes}
    order, done, stack = [], set(), [(o.split(":")[0], False) for o in outputs]
    while stack:
        name, expanded = stack.pop()
        if name in done:
            continue
        if expanded:
            done.add(name)
            order.append(by_name[name])
            continue
        stack.append((name, True))
        stack.extend((i.split(":")[0], False) for i in by_name[name].inputs if i.split(":")[0] not in done)
    return order


class TfTranslator:
    """Translates TF ops one by one, keeping NHWC tensors NCHW in ONNX so TF's layout transposes cancel out."""

    def __init__(self, graph: TfjsGraph, out: OnnxGraph) -> None:
        self.graph, self.g = graph, out
        self.values: dict[str, Value] = {}
        self.folded: dict[str, np.ndarray] = {}
        self.consumers: dict[str, int] = {}
        for node in graph.nodes:
            for ref in node.inputs:
                key = ref.removesuffix(":0")
                self.consumers[key] = self.consumers.get(key, 0) + 1

    def run(self, placeholder: Value, outputs: list[str]) -> dict[str, str]:
        """Translate everything the TF outputs depend on; returns their ONNX tensor names."""
        for node in topological_order(self.graph, outputs):
            if node.op == "Const":
                self.folded[node.name] = self.graph.consts[node.name]
            elif node.op == "Placeholder":
                self.values[node.name] = placeholder
            elif all(ref.removesuffix(":0") in self.folded for ref in node.inputs) and node.op in _FOLD:
                self.folded[node.name] = _FOLD[node.op](*(self.folded[r.removesuffix(":0")] for r in node.inputs))
            else:
                self._translate(node)
        return {o: self.as_tf(self.values[o.removesuffix(":0")]) for o in outputs}

    def _in(self, node, k: int):
        ref = node.inputs[k].removesuffix(":0")
        return self.folded[ref] if ref in self.folded else self.values[ref]

    def _translate(self, node) -> None:
        handler = getattr(self, f"_op_{node.op}", None)
        if node.op in _UNARY:
            handler = self._unary
        if handler is None:
            raise NotImplementedError(f"{node.name}: TF op {node.op} has no ONNX translation here")
        handler(node)

    def unpadded(self, v: Value) -> Value:
        """The value with any pending Pad emitted."""
        if v.pad is None:
            return v
        fill, pads = v.pad
        value = self.g.const(f"{v.name}/pad_value", np.array(fill, np.float32))
        pads_name = self.g.const(f"{v.name}/pads", np.array(pads, np.int64))
        (name,) = self.g.node("Pad", [v.name, pads_name, value], f"{v.name}/pad")
        return Value(name, v.nchw)

    def as_tf(self, v: Value) -> str:
        """The ONNX tensor laid out exactly as TF has it."""
        v = self.unpadded(v)
        if not v.nchw:
            return v.name
        return self.g.node("Transpose", [v.name], f"{v.name}/nhwc", perm=NHWC_OF_NCHW)[0]

    def as_nchw(self, v: Value) -> Value:
        """An NHWC TF tensor held NCHW in ONNX (pending pad kept)."""
        if v.nchw:
            return v
        return Value(self.g.node("Transpose", [self.as_tf(v)], f"{v.name}/nchw", perm=NCHW_OF_NHWC)[0], True)

    def _absorb_pad(self, v: Value, fill: float) -> tuple[Value, list[int]]:
        """Spatial pads [top, left, bottom, right] a Conv/MaxPool can take, or the value with its Pad emitted."""
        if v.pad is None:
            return v, [0, 0, 0, 0]
        pad_fill, p = v.pad
        if pad_fill == fill and p[0] == p[1] == p[4] == p[5] == 0:
            return Value(v.name, v.nchw), [p[2], p[3], p[6], p[7]]
        return self.unpadded(v), [0, 0, 0, 0]

    def _set(self, node, name: str, nchw: bool = False) -> None:
        self.values[node.name] = Value(name, nchw)

    def _op_Identity(self, node) -> None:
        self.values[node.name] = self._in(node, 0)

    def _unary(self, node) -> None:
        x = self.unpadded(self._in(node, 0))
        attrs = {"alpha": node.attrs["alpha"]} if node.op == "LeakyRelu" else {}
        self._set(node, self.g.node(_UNARY[node.op], [x.name], node.name, **attrs)[0], x.nchw)

    def _op_Pad(self, node, fill: float = 0.0) -> None:
        x, tf_pads = self.unpadded(self._in(node, 0)), self._in(node, 1)
        axes = NCHW_OF_NHWC if x.nchw else list(range(len(tf_pads)))
        pads = tuple(int(tf_pads[a][0]) for a in axes) + tuple(int(tf_pads[a][1]) for a in axes)
        self.values[node.name] = Value(x.name, x.nchw, (fill, pads))

    def _op_PadV2(self, node) -> None:
        self._op_Pad(node, float(self._in(node, 2)))

    def _op_Conv2D(self, node) -> None:
        if node.attrs["padding"] != "VALID" or node.attrs.get("data_format", "NHWC") != "NHWC":
            raise NotImplementedError(f"{node.name}: only NHWC VALID convolutions (TF pads them explicitly here)")
        x, pads = self._absorb_pad(self.as_nchw(self._in(node, 0)), 0.0)
        weight = self.g.const(f"{node.name}/weight", np.transpose(self._in(node, 1), (3, 2, 0, 1)))
        strides, dilations = node.attrs["strides"][1:3], node.attrs.get("dilations", [1, 1, 1, 1])[1:3]
        out = self.g.node("Conv", [x.name, weight], node.name, pads=pads, strides=strides, dilations=dilations)[0]
        self._set(node, out, True)

    def _op_Add(self, node) -> None:
        a, b = self._in(node, 0), self._in(node, 1)
        if isinstance(a, np.ndarray):
            a, b = b, a
        if isinstance(b, np.ndarray):
            self._add_constant(node, a, b)
            return
        if a.nchw != b.nchw:
            a, b = Value(self.as_tf(a)), Value(self.as_tf(b))
        a, b = self.unpadded(a), self.unpadded(b)
        self._set(node, self.g.node("Add", [a.name, b.name], node.name)[0], a.nchw)

    _op_AddV2 = _op_Add

    def _add_constant(self, node, x: Value, bias: np.ndarray) -> None:
        """A per-channel bias after a Conv becomes the Conv's bias; other constants broadcast as TF would."""
        conv = self.g.producer.get(x.name)
        ref = node.inputs[0] if node.inputs[0].removesuffix(":0") in self.values else node.inputs[1]
        sole = self.consumers.get(ref.removesuffix(":0"), 0) == 1
        bare_conv = conv is not None and conv.op_type == "Conv" and len(conv.input) == 2
        if bare_conv and sole and bias.ndim == 1 and x.pad is None:
            conv.input.append(self.g.const(f"{conv.name}/bias", bias.astype(np.float32)))
            self.values[node.name] = x
            return
        x = self.unpadded(x)
        if x.nchw and bias.ndim == 1:
            bias = bias.reshape(-1, 1, 1)
        self._set(node, self.g.node("Add", [x.name, self.g.const(f"{node.name}/b", bias)], node.name)[0], x.nchw)

    def _op_Transpose(self, node) -> None:
        x, perm = self._in(node, 0), [int(p) for p in self._in(node, 1)]
        if perm == NHWC_OF_NCHW and not x.nchw:
            self.values[node.name] = Value(x.name, True, x.pad)
        elif perm == NCHW_OF_NHWC and x.nchw:
            self.values[node.name] = Value(x.name, False, x.pad)
        else:
            self._set(node, self.g.node("Transpose", [self.as_tf(x)], node.name, perm=perm)[0])

    def _op_MaxPool(self, node) -> None:
        if node.attrs["padding"] != "VALID":
            raise NotImplementedError(f"{node.name}: only VALID max pooling")
        x, pads = self._absorb_pad(self.as_nchw(self._in(node, 0)), float("-inf"))
        out = self.g.node("MaxPool", [x.name], node.name, kernel_shape=node.attrs["ksize"][1:3],
                          strides=node.attrs["strides"][1:3], pads=pads)[0]
        self._set(node, out, True)

    def _op_ResizeBilinear(self, node) -> None:
        x = self.unpadded(self.as_nchw(self._in(node, 0)))
        sizes = self.g.const(f"{node.name}/sizes", np.asarray(self._in(node, 1), np.int64))
        if node.attrs.get("align_corners"):
            mode = "align_corners"
        else:
            mode = "half_pixel" if node.attrs.get("half_pixel_centers") else "asymmetric"
        out = self.g.node("Resize", [x.name, "", "", sizes], node.name, axes=[2, 3], mode="linear",
                          coordinate_transformation_mode=mode)[0]
        self._set(node, out, True)

    def _axis(self, v: Value, axis: int) -> int:
        axis = int(axis) % 4 if v.nchw else int(axis)
        return NCHW_OF_NHWC.index(axis) if v.nchw else axis

    def _op_ConcatV2(self, node) -> None:
        xs = [self._in(node, k) for k in range(len(node.inputs) - 1)]
        if len({x.nchw for x in xs}) > 1:
            xs = [Value(self.as_tf(x)) for x in xs]
        xs = [self.unpadded(x) for x in xs]
        axis = self._axis(xs[0], self._in(node, len(node.inputs) - 1))
        self._set(node, self.g.node("Concat", [x.name for x in xs], node.name, axis=axis)[0], xs[0].nchw)

    def _op_SplitV(self, node) -> None:
        x, sizes, axis = self.unpadded(self._in(node, 0)), self._in(node, 1), self._in(node, 2)
        split = self.g.const(f"{node.name}/split", np.asarray(sizes, np.int64))
        outs = self.g.node("Split", [x.name, split], node.name, outputs=len(sizes), axis=self._axis(x, axis))
        for k, out in enumerate(outs):
            self.values[node.name if k == 0 else f"{node.name}:{k}"] = Value(out, x.nchw)

    def _op_Reshape(self, node) -> None:
        shape = np.asarray(self._in(node, 1), np.int64).copy()
        if shape[0] != 1:
            raise NotImplementedError(f"{node.name}: expected the frozen batch of 1 first in {shape.tolist()}")
        shape[0] = 0  # ONNX: copy the (dynamic) batch dimension from the input
        shape_name = self.g.const(f"{node.name}/shape", shape)
        self._set(node, self.g.node("Reshape", [self.as_tf(self._in(node, 0)), shape_name], node.name)[0])


@dataclass(frozen=True)
class Normalization:
    """x = (pixel - mean) / std per RGB channel in pixel units, then RGB -> BGR when `bgr`."""

    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    bgr: bool


# NanoDet's configs normalise cv2's BGR images with mean [103.53, 116.28, 123.675], std [57.375, 57.12, 58.395];
# here in RGB order (ImageNet's statistics x 255), and the channels flipped to BGR after.
NANODET_NORMALIZATION = Normalization((123.675, 116.28, 103.53), (58.395, 57.12, 57.375), bgr=True)
# What @vladmandic/human feeds this model: RGB div(255).
HUMAN_NORMALIZATION = Normalization((0.0, 0.0, 0.0), (255.0, 255.0, 255.0), bgr=False)


def _preprocess(g: OnnxGraph, input_name: str, norm: Normalization) -> Value:
    """uint8 NHWC RGB -> float32 NCHW, normalised as `norm` says (the TF placeholder's layout)."""
    (x,) = g.node("Cast", [input_name], "preprocess/cast", to=TensorProto.FLOAT)
    if any(norm.mean):
        (x,) = g.node("Sub", [x, g.const("preprocess/mean", np.array(norm.mean, np.float32))], "preprocess/centre")
    (x,) = g.node("Div", [x, g.const("preprocess/std", np.array(norm.std, np.float32))], "preprocess/scale")
    if norm.bgr:
        (x,) = g.node("Gather", [x, g.const("preprocess/bgr", np.array([2, 1, 0], np.int64))], "preprocess/bgr", axis=3)
    return Value(g.node("Transpose", [x], "preprocess/nchw", perm=NCHW_OF_NHWC)[0])


def anchor_centres(side: int) -> np.ndarray:
    """[side*side, 4] (cx, cy, cx, cy) of each cell centre in [0, 1], row-major as the head flattens H x W."""
    rows, cols = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    cx, cy = (cols.reshape(-1) + 0.5) / side, (rows.reshape(-1) + 0.5) / side
    return np.stack([cx, cy, cx, cy], axis=1).astype(np.float32)


def _decode_level(g: OnnxGraph, reg: str, side: int, stride: int, size: int, bins: int) -> str:
    """GFL integral: softmax over each side's bins, expectation in strides, then x1 y1 x2 y2 / size, clipped."""
    name = f"decode/stride{stride}"
    shape = g.const(f"{name}/shape", np.array([0, side * side, 4, bins], np.int64))
    (dist,) = g.node("Reshape", [reg, shape], f"{name}/bins")
    (prob,) = g.node("Softmax", [dist], f"{name}/softmax", axis=-1)
    project = g.const(f"{name}/project", np.arange(bins, dtype=np.float32))
    (expect,) = g.node("MatMul", [prob, project], f"{name}/integral")
    sign = g.const(f"{name}/scale", np.array([-1, -1, 1, 1], np.float32) * np.float32(stride / size))
    (offset,) = g.node("Mul", [expect, sign], f"{name}/offset")
    (boxes,) = g.node("Add", [offset, g.const(f"{name}/centres", anchor_centres(side))], f"{name}/boxes")
    zero, one = g.const(f"{name}/0", np.array(0, np.float32)), g.const(f"{name}/1", np.array(1, np.float32))
    return g.node("Clip", [boxes, zero, one], f"{name}/clip")[0]


def input_size(graph: TfjsGraph) -> int:
    """The square input side the TF graph is frozen at (its placeholder is NCHW [1, 3, side, side])."""
    (spec,) = graph.signature["inputs"].values()
    _, _, height, width = (int(d["size"]) for d in spec["tensorShape"]["dim"])
    if height != width:
        raise ValueError(f"expected a square input, the graph takes {height}x{width}")
    return height


def resize_targets(graph: TfjsGraph, size: int) -> dict[str, np.ndarray]:
    """The constant output sizes of the graph's ResizeBilinear ops (the PAN's up- and down-sampling), rescaled for a
    size x size input, by Const name. They are the only shapes frozen in this graph: the convolutions are size-free
    and the head's reshapes use -1."""
    native, targets = input_size(graph), {}
    for node in graph.nodes:
        if node.op != "ResizeBilinear":
            continue
        name = node.inputs[1].removesuffix(":0")
        frozen = graph.consts[name]
        scaled = frozen * size // native
        if np.any(scaled * native != frozen * size):
            raise ValueError(f"{name}: resize target {frozen.tolist()} x {size}/{native} is not whole")
        targets[name] = scaled.astype(frozen.dtype)
    users = [n.name for n in graph.nodes
             if n.op != "ResizeBilinear" and any(i.removesuffix(":0") in targets for i in n.inputs)]
    if users:
        raise ValueError(f"resize targets also feed {users}; rescaling them is not known to be safe")
    return targets


def at_size(graph: TfjsGraph, size: int) -> TfjsGraph:
    """The same network frozen for a size x size input: resize targets and signature shapes rescaled, weights as they
    are. NanoDet is fully convolutional; strides 8/16/32 give (size/8)^2 + (size/16)^2 + (size/32)^2 anchor points."""
    native = input_size(graph)
    if size % 32 or size <= 0:
        raise ValueError(f"input size {size} is not a positive multiple of 32 (the largest stride)")
    if size == native:
        return graph
    signature = copy.deepcopy(graph.signature)
    for spec in signature["inputs"].values():
        spec["tensorShape"]["dim"][2:] = [{"size": str(size)}, {"size": str(size)}]
    for spec in signature["outputs"].values():
        cells = spec["tensorShape"]["dim"][1]
        stride = native // int(round(int(cells["size"]) ** 0.5))
        cells["size"] = str((size // stride) ** 2)
    return dataclasses.replace(graph, consts=dict(graph.consts, **resize_targets(graph, size)), signature=signature)


def head_levels(graph: TfjsGraph, classes: int, size: int) -> list[dict]:
    """Per stride (ascending), the TF output names of the sigmoid class scores and the box distributions."""
    levels: dict[int, dict] = {}
    for name, spec in graph.signature["outputs"].items():
        _, cells, channels = (int(d["size"]) for d in spec["tensorShape"]["dim"])
        side = int(round(cells**0.5))
        level = levels.setdefault(size // side, {"stride": size // side, "side": side})
        level["scores" if channels == classes else "reg"] = name
        if channels != classes:
            level["bins"] = channels // 4
    return [levels[s] for s in sorted(levels)]


def build_nanodet(graph: TfjsGraph, input_name: str, output_name: str, norm: Normalization = NANODET_NORMALIZATION,
                  size: int | None = None, classes: int = 80) -> onnx.ModelProto:
    """The whole bundle graph: [N, size, size, 3] uint8 -> [N, anchors, 4 + classes] float32 (boxes, then scores);
    size defaults to the one the TF graph is frozen at."""
    size = input_size(graph) if size is None else size
    graph = at_size(graph, size)
    g = OnnxGraph()
    levels = head_levels(graph, classes, size)
    names = [lv[k] for lv in levels for k in ("scores", "reg")]
    onnx_names = TfTranslator(graph, g).run(_preprocess(g, input_name, norm), names)
    boxes = [_decode_level(g, onnx_names[lv["reg"]], lv["side"], lv["stride"], size, lv["bins"]) for lv in levels]
    (all_boxes,) = g.node("Concat", boxes, "decode/boxes", axis=1)
    (all_scores,) = g.node("Concat", [onnx_names[lv["scores"]] for lv in levels], "decode/scores", axis=1)
    g.node("Concat", [all_boxes, all_scores], output_name, axis=2)
    anchors = sum(lv["side"] ** 2 for lv in levels)
    model_graph = helper.make_graph(
        g.nodes, "nanodet",
        [helper.make_tensor_value_info(input_name, TensorProto.UINT8, ["N", size, size, 3])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["N", anchors, 4 + classes])],
        g.initializers,
    )
    proto = helper.make_model(model_graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="hashtagnet.convert.nanodet_export")
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    return proto
