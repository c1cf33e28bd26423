"""PaddleOCR's text detector and recogniser (ONNX, from a rapidocr wheel: PP-OCRv4 or PP-OCRv6) as served bundles.

The published graphs take float32 NCHW normalised pixels and give a sigmoid map (detector) or per-step softmax over
the dictionary's classes plus blank and space (recogniser: 6,625 for v4, 18,710 for v6). Each is wrapped with the serving contract in front and behind: uint8 NHWC RGB in,
normalisation in the graph ((x / 255 - 0.5) / 0.5, rapidocr's config), and for the recogniser the argmax taken in the
graph so a worker returns 2 floats per step instead of 6,625. Inside, the weights are PaddleOCR's; the per-layer affine
blocks are folded into the convolutions and hard-swish is written in two ops (onnx_fold.py), which cuts ONNX Runtime's
CPU time by about a quarter (recogniser) and a seventh (detector) with the same answers. Parity: wrapped vs original
on the same pixels, and the wrapped bundles against rapidocr's own pipeline in test/parity/ocr-parity.test.ts.

    python -m hashtagnet.convert.ppocr_onnx --release v4 --wheel rapidocr_onnxruntime-1.4.4-py3-none-any.whl --out-dir models
    python -m hashtagnet.convert.ppocr_onnx --release v6 --wheel rapidocr-3.10.0-py3-none-any.whl --out-dir models
(the wheels from `pip download rapidocr-onnxruntime==1.4.4 --no-deps` and `pip download rapidocr==3.10.0 --no-deps`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import zipfile
from pathlib import Path

import jsonschema
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

from .onnx_fold import fold_affine_blocks
from .ppocr_specs import RELEASES, OcrRelease
from .provenance import conversion_stamp

REPO_ROOT = Path(__file__).resolve().parents[3]
DETECTOR_SIDE = 640
LINE_HEIGHT, LINE_WIDTHS = 48, [320, 640, 1280]
PAD = 128  # normalises to about 0, the value PaddleOCR pads with after normalising


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wrap(original: onnx.ModelProto, *, recogniser: bool) -> onnx.ModelProto:
    """uint8 NHWC RGB `image` -> BGR -> normalise -> NCHW -> the original graph -> `text_map` [N,H,W] or `ctc` [N,T,2]."""
    graph = original.graph
    (source_input,), (source_output,) = graph.input, graph.output
    inner = source_input.name
    front = [
        helper.make_node("Gather", ["image", "wrap/bgr"], ["wrap/image_bgr"], axis=3),
        helper.make_node("Cast", ["wrap/image_bgr"], ["wrap/float"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["wrap/float", "wrap/scale"], ["wrap/scaled"]),
        helper.make_node("Sub", ["wrap/scaled", "wrap/one"], ["wrap/normalised"]),
        helper.make_node("Transpose", ["wrap/normalised"], [inner], perm=[0, 3, 1, 2]),
    ]
    consts = [
        helper.make_tensor("wrap/scale", TensorProto.FLOAT, [], [1 / 127.5]),
        helper.make_tensor("wrap/one", TensorProto.FLOAT, [], [1.0]),
        helper.make_tensor("wrap/bgr", TensorProto.INT64, [3], [2, 1, 0]),  # PaddleOCR is trained on OpenCV's BGR
    ]
    if recogniser:
        back = [
            helper.make_node("ArgMax", [source_output.name], ["wrap/index"], axis=2, keepdims=1),
            helper.make_node("Cast", ["wrap/index"], ["wrap/index_float"], to=TensorProto.FLOAT),
            helper.make_node("ReduceMax", [source_output.name], ["wrap/best"], axes=[2], keepdims=1),
            helper.make_node("Concat", ["wrap/index_float", "wrap/best"], ["ctc"], axis=2),
        ]
        output = helper.make_tensor_value_info("ctc", TensorProto.FLOAT, ["N", "T", 2])
        image = helper.make_tensor_value_info("image", TensorProto.UINT8, ["N", LINE_HEIGHT, "W", 3])
    else:
        if original.opset_import[0].version >= 13:
            back = [helper.make_node("Squeeze", [source_output.name, "wrap/axis1"], ["text_map"])]
            consts.append(helper.make_tensor("wrap/axis1", TensorProto.INT64, [1], [1]))
        else:  # before opset 13 Squeeze takes its axes as an attribute
            back = [helper.make_node("Squeeze", [source_output.name], ["text_map"], axes=[1])]
        output = helper.make_tensor_value_info("text_map", TensorProto.FLOAT, ["N", "H", "W"])
        image = helper.make_tensor_value_info("image", TensorProto.UINT8, ["N", "H", "W", 3])
    new_graph = helper.make_graph(
        front + list(graph.node) + back, graph.name, [image], [output], consts + list(graph.initializer),
        value_info=list(graph.value_info),
    )
    wrapped = helper.make_model(new_graph, opset_imports=list(original.opset_import), producer_name="hashtagnet.ppocr_onnx")
    wrapped.ir_version = original.ir_version
    onnx.checker.check_model(wrapped, full_check=True)
    return wrapped


def _session(model: onnx.ModelProto) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def parity(original: onnx.ModelProto, wrapped: onnx.ModelProto, pixels: np.ndarray, *, recogniser: bool) -> dict:
    """Max |wrapped - original| on the same uint8 pixels (normalised by hand for the original)."""
    normalised = (pixels[..., ::-1].astype(np.float32) / 255.0 - 0.5) / 0.5
    (want,) = _session(original).run(None, {original.graph.input[0].name: normalised.transpose(0, 3, 1, 2)})
    (got,) = _session(wrapped).run(None, {"image": pixels})
    if recogniser:
        index_agreement = float(np.mean(got[..., 0] == want.argmax(axis=2)))
        return {"argmax_agreement": index_agreement, "max_abs_prob_diff": float(np.abs(got[..., 1] - want.max(axis=2)).max())}
    return {"max_abs_diff": float(np.abs(got - want[:, 0]).max())}


def sample_pixels(height: int, width: int) -> np.ndarray:
    """A real photo (scikit-image's text sample) resized, so parity is measured on text, not noise."""
    from PIL import Image  # Pillow ships with the training requirements

    photo = Image.open("/usr/lib/python3/dist-packages/skimage/data/text.png").convert("RGB").resize((width, height))
    return np.asarray(photo, dtype=np.uint8)[None]


def characters(original: onnx.ModelProto) -> list[str]:
    """The recogniser's classes in output order: the CTC blank, the dictionary from the model's metadata, a space."""
    meta = {p.key: p.value for p in original.metadata_props}
    return ["<blank>", *meta["character"].splitlines(), " "]


def manifest(release: OcrRelease, name: str, task: str, wrapped_path: Path, source_file: str, source_sha: str, metrics: dict,
             **extra) -> dict:
    return {
        "format_version": 1, "name": name, "version": release.bundle_version, "task": task, "model_file": "model.onnx",
        "sha256": sha256_bytes(wrapped_path.read_bytes()), "precision": "fp32", **extra,
        "provenance": {
            "source": {"registry": "pypi", "package": release.package, "version": release.version, "file": source_file,
                       "file_sha256": source_sha},
            "license": release.license,
            "training_data": release.training_data,
            "export_command": release.export_command,
            **conversion_stamp(11),
        },
        "metrics": metrics,
    }


def write_bundle(out: Path, wrapped: onnx.ModelProto, build) -> None:
    out.mkdir(parents=True, exist_ok=True)
    onnx.save(wrapped, out / "model.onnx")
    data = build(out / "model.onnx")
    schema = json.loads((REPO_ROOT / "models" / "manifest.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(data)
    (out / "model.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def convert(release: OcrRelease, wheel: Path, out_dir: Path) -> None:
    """Fold, wrap and check the release's two graphs and write them as bundles ppocr-<key>-det and ppocr-<key>-rec."""
    with zipfile.ZipFile(wheel) as archive:
        det_bytes, rec_bytes = archive.read(release.detector), archive.read(release.recogniser)
    det, rec = onnx.load_from_string(det_bytes), onnx.load_from_string(rec_bytes)
    (det_folded, det_rewrites), (rec_folded, rec_rewrites) = fold_affine_blocks(det), fold_affine_blocks(rec)
    det_wrapped, rec_wrapped = wrap(det_folded, recogniser=False), wrap(rec_folded, recogniser=True)
    det_parity = {**parity(det, det_wrapped, sample_pixels(DETECTOR_SIDE, DETECTOR_SIDE), recogniser=False), "rewrites": det_rewrites}
    rec_parity = {**parity(rec, rec_wrapped, sample_pixels(LINE_HEIGHT, LINE_WIDTHS[-1]), recogniser=True), "rewrites": rec_rewrites}
    print("parity", det_parity, rec_parity)
    normalization = {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}
    det_name, rec_name = f"ppocr-{release.key}-det", f"ppocr-{release.key}-rec"
    write_bundle(out_dir / det_name, det_wrapped, lambda path: manifest(
        release, det_name, "text_detect", path, release.detector, sha256_bytes(det_bytes), {"parity_vs_original": det_parity},
        description=release.det_description,
        input={"name": "image", "dtype": "uint8", "layout": "NHWC", "channels": "RGB", "height": DETECTOR_SIDE,
               "width": DETECTOR_SIDE, "resize": {"method": "letterbox", "fill": PAD}, "interpolation": "bilinear",
               "normalization": normalization},
        output={"name": "text_map", "dtype": "float32", "kind": "probability_map"},
        classes=[{"id": "background", "name": "background"}, {"id": "text", "name": "text"}],
    ))
    chars = characters(rec)
    write_bundle(out_dir / rec_name, rec_wrapped, lambda path: manifest(
        release, rec_name, "text_recognize", path, release.recogniser, sha256_bytes(rec_bytes), {"parity_vs_original": rec_parity},
        description=release.rec_description,
        input={"name": "image", "dtype": "uint8", "layout": "NHWC", "channels": "RGB", "height": LINE_HEIGHT,
               "width": LINE_WIDTHS[0], "resize": {"method": "text_line", "fill": PAD, "widths": LINE_WIDTHS},
               "interpolation": "bilinear", "normalization": normalization},
        output={"name": "ctc", "dtype": "float32", "kind": "ctc_best_path", "downsampling": 8},
        classes=[{"id": str(i), "name": c} for i, c in enumerate(chars)],
    ))
    for name in (det_name, rec_name):
        # The licence PaddleOCR publishes its models under (v4's wheel states it in its metadata, v6's in MODEL_LICENSES.md).
        (out_dir / name / "NOTICE").write_text(release.notice)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", choices=sorted(RELEASES), default="v6", help="which PaddleOCR release (ppocr_specs.py)")
    parser.add_argument("--wheel", type=Path, required=True, help="the release's wheel (pip download --no-deps)")
    parser.add_argument("--out-dir", type=Path, default=REPO_ROOT / "models")
    args = parser.parse_args(argv)
    convert(RELEASES[args.release], args.wheel, args.out_dir)


if __name__ == "__main__":
    main()
