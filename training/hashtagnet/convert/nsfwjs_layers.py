"""Keras layers as ONNX nodes (the layer types nsfwjs's MobileNetV2 uses); tensors are NCHW inside the graph."""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import helper, numpy_helper


class GraphBuilder:
    """Accumulates ONNX nodes and initialisers; tensors are NCHW and their (H, W, C) shapes are tracked."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.shapes: dict[str, tuple[int, ...]] = {}

    def const(self, name: str, value: np.ndarray) -> str:
        """Register an initialiser and return its name."""
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs) -> str:
        """Append one node with a single output and return that output's name."""
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def weight(self, layer: str, part: str) -> np.ndarray:
        """The named Keras weight, e.g. ('Conv1', 'kernel')."""
        return self.weights[f"{layer}/{part}"]


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's SAME padding: the odd pixel goes at the end."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _conv_geometry(cfg: dict, shape: tuple[int, ...]) -> tuple[list[int], tuple[int, int]]:
    """ONNX pads and output (H, W) for a Keras conv or pool config on an (H, W, C) input."""
    (kh, kw), (sh, sw) = cfg.get("kernel_size") or cfg["pool_size"], cfg["strides"]
    if tuple(cfg.get("dilation_rate", (1, 1))) != (1, 1) or cfg.get("data_format", "channels_last") != "channels_last":
        raise ValueError(f"{cfg['name']}: only undilated channels_last layers are supported")
    h, w = shape[0], shape[1]
    if cfg["padding"] == "valid":
        return [0, 0, 0, 0], ((h - kh) // sh + 1, (w - kw) // sw + 1)
    (top, bottom), (left, right) = same_padding(h, kh, sh), same_padding(w, kw, sw)
    return [top, left, bottom, right], (math.ceil(h / sh), math.ceil(w / sw))


def _activation(g: GraphBuilder, name: str, x: str, activation: str) -> str:
    """Apply a Keras activation by name."""
    ops = {"relu": ("Relu", {}), "softmax": ("Softmax", {"axis": -1})}
    if activation == "linear":
        return x
    if activation not in ops:
        raise ValueError(f"{name}: unsupported activation {activation}")
    op, attrs = ops[activation]
    out = g.node(op, [x], f"{name}/{activation}", **attrs)
    if x in g.shapes:
        g.shapes[out] = g.shapes[x]
    return out


def _conv(g: GraphBuilder, cfg: dict, x: str, depthwise: bool) -> str:
    """Conv2D (HWIO kernel) or DepthwiseConv2D (HWCM kernel) as an ONNX Conv."""
    name, shape = cfg["name"], g.shapes[x]
    pads, (oh, ow) = _conv_geometry(cfg, shape)
    if depthwise:
        kernel = g.weight(name, "depthwise_kernel")
        kh, kw, channels, mult = kernel.shape
        onnx_kernel = kernel.transpose(2, 3, 0, 1).reshape(channels * mult, 1, kh, kw)
        group, out_channels = channels, channels * mult
    else:
        onnx_kernel = g.weight(name, "kernel").transpose(3, 2, 0, 1)
        group, out_channels = 1, onnx_kernel.shape[0]
    inputs = [x, g.const(f"{name}/W", onnx_kernel)]
    if cfg["use_bias"]:
        inputs.append(g.const(f"{name}/B", g.weight(name, "bias")))
    out = g.node("Conv", inputs, name, group=group, pads=pads, strides=list(cfg["strides"]),
                 kernel_shape=list(onnx_kernel.shape[2:]))
    g.shapes[out] = (oh, ow, out_channels)
    return _activation(g, name, out, cfg["activation"])


def _batch_norm(g: GraphBuilder, cfg: dict, x: str) -> str:
    """BatchNormalization over channels (Keras axis -1 is ONNX axis 1 in NCHW)."""
    name = cfg["name"]
    if cfg["axis"] not in (-1, 3) or not (cfg["center"] and cfg["scale"]):
        raise ValueError(f"{name}: only channel-axis BN with centre and scale is supported")
    parts = ["gamma", "beta", "moving_mean", "moving_variance"]
    inputs = [x] + [g.const(f"{name}/{p}", g.weight(name, p)) for p in parts]
    out = g.node("BatchNormalization", inputs, name, epsilon=float(cfg["epsilon"]))
    g.shapes[out] = g.shapes[x]
    return out


def _relu(g: GraphBuilder, cfg: dict, x: str) -> str:
    """Keras ReLU layer, with max_value as a clip (ReLU6 in MobileNetV2)."""
    name = cfg["name"]
    if cfg.get("negative_slope", 0) != 0 or cfg.get("threshold", 0) != 0:
        raise ValueError(f"{name}: leaky or thresholded ReLU is not supported")
    if cfg.get("max_value") is None:
        out = g.node("Relu", [x], name)
    else:
        low = g.const(f"{name}/min", np.array(0.0, np.float32))
        high = g.const(f"{name}/max", np.array(cfg["max_value"], np.float32))
        out = g.node("Clip", [x, low, high], name)
    g.shapes[out] = g.shapes[x]
    return out


def _zero_padding(g: GraphBuilder, cfg: dict, x: str) -> str:
    """ZeroPadding2D ((top, bottom), (left, right)) as an ONNX Pad on NCHW."""
    (top, bottom), (left, right) = cfg["padding"]
    pads = g.const(f"{cfg['name']}/pads", np.array([0, 0, top, left, 0, 0, bottom, right], np.int64))
    out = g.node("Pad", [x, pads], cfg["name"], mode="constant")
    h, w, c = g.shapes[x]
    g.shapes[out] = (h + top + bottom, w + left + right, c)
    return out


def _average_pool(g: GraphBuilder, cfg: dict, x: str) -> str:
    """AveragePooling2D; padded cells are excluded from the mean, as in TensorFlow."""
    pads, (oh, ow) = _conv_geometry(cfg, g.shapes[x])
    out = g.node("AveragePool", [x], cfg["name"], kernel_shape=list(cfg["pool_size"]),
                 strides=list(cfg["strides"]), pads=pads, count_include_pad=0)
    g.shapes[out] = (oh, ow, g.shapes[x][2])
    return out


def _flatten(g: GraphBuilder, cfg: dict, x: str) -> str:
    """Flatten in Keras's channels_last order: back to NHWC first."""
    nhwc = g.node("Transpose", [x], f"{cfg['name']}/nhwc", perm=[0, 2, 3, 1])
    out = g.node("Flatten", [nhwc], cfg["name"], axis=1)
    g.shapes[out] = (int(np.prod(g.shapes[x])),)
    return out


def _dense(g: GraphBuilder, cfg: dict, x: str) -> str:
    """Dense as MatMul + bias, then its activation."""
    name = cfg["name"]
    kernel = g.weight(name, "kernel")
    out = g.node("MatMul", [x, g.const(f"{name}/W", kernel)], f"{name}/matmul")
    if cfg["use_bias"]:
        out = g.node("Add", [out, g.const(f"{name}/B", g.weight(name, "bias"))], name)
    out = _activation(g, name, out, cfg["activation"])
    g.shapes[out] = (kernel.shape[1],)
    return out


_SINGLE_INPUT = {
    "Conv2D": lambda g, cfg, x: _conv(g, cfg, x, depthwise=False),
    "DepthwiseConv2D": lambda g, cfg, x: _conv(g, cfg, x, depthwise=True),
    "BatchNormalization": _batch_norm,
    "ReLU": _relu,
    "ZeroPadding2D": _zero_padding,
    "AveragePooling2D": _average_pool,
    "Flatten": _flatten,
    "Dense": _dense,
    "Dropout": lambda g, cfg, x: x,  # identity at inference
}


def _add(g: GraphBuilder, cfg: dict, inputs: list[str]) -> str:
    """Element-wise Add of two or more tensors."""
    out = inputs[0]
    for i, other in enumerate(inputs[1:]):
        out = g.node("Add", [out, other], cfg["name"] if i == len(inputs) - 2 else f"{cfg['name']}/{i}")
    g.shapes[out] = g.shapes[inputs[0]]
    return out



def convert_layer(g: GraphBuilder, kind: str, cfg: dict, inputs: list[str]) -> str:
    """Emit the nodes of one Keras layer and return its output tensor's name."""
    if kind == "Add":
        return _add(g, cfg, inputs)
    if kind not in _SINGLE_INPUT:
        raise ValueError(f"{cfg['name']}: unsupported layer type {kind}")
    if len(inputs) != 1:
        raise ValueError(f"{cfg['name']}: {kind} expects one input, got {len(inputs)}")
    return _SINGLE_INPUT[kind](g, cfg, inputs[0])
