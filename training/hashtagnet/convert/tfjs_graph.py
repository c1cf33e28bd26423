"""Read a TF.js graph model (model.json + binary weight shards) into its nodes and numpy weights."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hashtagnet.convert.tfjs_weights import decode_groups, decode_weight  # noqa: F401 (decode_weight re-exported)
from hashtagnet.export.bundle import sha256_file  # noqa: F401 (re-exported for the NanoDet exporter)



@dataclass(frozen=True)
class GraphNode:
    """One TensorFlow op as TF.js stores it: inputs are tensor names (`node` or `node:k`), attrs decoded."""

    name: str
    op: str
    inputs: tuple[str, ...]
    attrs: dict = field(default_factory=dict)


@dataclass
class TfjsGraph:
    """A frozen TF graph: nodes in file order, Const values by node name, signature and source file hashes."""

    nodes: list[GraphNode]
    consts: dict[str, np.ndarray]
    signature: dict
    meta: dict
    files_sha256: dict[str, str]
    quantization: set[str]

    def node(self, name: str) -> GraphNode:
        """The node that produces tensor `name` (`node:k` names the k-th output of `node`)."""
        base = name.split(":")[0]
        return next(n for n in self.nodes if n.name == base)


def attr_value(attr: dict):
    """Decode one AttrValue from model.json: strings are base64, ints are decimal strings, lists recurse."""
    if "list" in attr:
        items = attr["list"]
        if "i" in items:
            return [int(v) for v in items["i"]]
        if "f" in items:
            return [float(v) for v in items["f"]]
        if "s" in items:
            return [base64.b64decode(v).decode() for v in items["s"]]
        return []
    if "s" in attr:
        return base64.b64decode(attr["s"]).decode()
    if "i" in attr:
        return int(attr["i"])
    if "f" in attr:
        return float(attr["f"])
    if "b" in attr:
        return bool(attr["b"])
    if "type" in attr:
        return attr["type"]
    return attr


def _attrs(node: dict) -> dict:
    return {key: attr_value(value) for key, value in node.get("attr", {}).items()}


def _decode_weights(model_dir: Path, manifest: list[dict]) -> tuple[dict[str, np.ndarray], set[str]]:
    """Named weights from the binary shards, and the stored dtypes (`float32<-float16` for a quantised weight)."""
    weights, specs = decode_groups(manifest, lambda paths: b"".join((model_dir / path).read_bytes() for path in paths))
    quantization = {f"{s['dtype']}<-{s['quantization']['dtype']}" if s.get("quantization") else s["dtype"] for s in specs}
    return weights, quantization


def read_graph_model(model_json: Path) -> TfjsGraph:
    """Load a TF.js graph model from disk; every Const node must have its value in the weight shards."""
    model_json = Path(model_json)
    document = json.loads(model_json.read_text())
    if document.get("format") != "graph-model":
        raise ValueError(f"{model_json}: not a TF.js graph model (format {document.get('format')!r})")
    consts, quantization = _decode_weights(model_json.parent, document["weightsManifest"])
    nodes = [
        GraphNode(n["name"], n["op"], tuple(n.get("input", ())), _attrs(n))
        for n in document["modelTopology"]["node"]
    ]
    missing = [n.name for n in nodes if n.op == "Const" and n.name not in consts]
    if missing:
        raise ValueError(f"{model_json}: Const nodes without weights: {missing[:5]}")
    files = [model_json] + [model_json.parent / p for g in document["weightsManifest"] for p in g["paths"]]
    meta = {k: v for k, v in document.items() if k not in ("modelTopology", "weightsManifest", "signature")}
    return TfjsGraph(
        nodes=nodes,
        consts=consts,
        signature=document.get("signature", {}),
        meta=meta,
        files_sha256={f.name: sha256_file(f) for f in files},
        quantization=quantization,
    )
