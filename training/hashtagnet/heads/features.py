"""Pooled trunk features (the input of the classifier's final Gemm) and ImageNet probabilities of images, computed
once with ONNX Runtime at the bundle's own resize rule and cached in an .npz file.

    python -m hashtagnet.heads.features --bundle models/efficientnet-lite0 --labels corpus/out/labels.jsonl --out F.npz
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image, ImageOps

from hashtagnet.data.images import resize_for_input


def load_served_rgb(path: Path) -> np.ndarray:
    """Decode as the server does before resizing: EXIF orientation applied, alpha flattened onto white, RGB."""
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            rgba = image.convert("RGBA")
            image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def pooled_name(graph: onnx.GraphProto) -> str:
    """Name of the tensor the final classifier layer reads: the data input of the Gemm/MatMul feeding the Softmax."""
    producers = {out: node for node in graph.node for out in node.output}
    softmax = producers[graph.output[0].name]
    node = producers[softmax.input[0]]
    if node.op_type not in ("Gemm", "MatMul", "Add"):
        raise ValueError(f"expected Gemm/MatMul before the softmax, found {node.op_type}")
    if node.op_type == "Add":
        node = producers[node.input[0]]
    return node.input[0]


def feature_session(bundle: Path, threads: int = 1) -> tuple[ort.InferenceSession, str, dict]:
    """A session over the bundle's graph with its pooled features added as a second output; also the manifest."""
    manifest = json.loads((bundle / "model.json").read_text())
    model = onnx.load(bundle / manifest["model_file"])
    name = pooled_name(model.graph)
    model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return session, name, manifest


def extract(session: ort.InferenceSession, name: str, manifest: dict, paths: list[Path], batch: int = 16,
            log_every: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Features [N, D] float32 and probabilities [N, 1000] float16 of the images, in order."""
    spec, output = manifest["input"], manifest["output"]["name"]
    features, probabilities, started = [], [], time.perf_counter()
    for start in range(0, len(paths), batch):
        pixels = np.stack([resize_for_input(load_served_rgb(p), spec) for p in paths[start:start + batch]])
        probs, pooled = session.run([output, name], {spec["name"]: pixels})
        features.append(pooled.reshape(len(pixels), -1).astype(np.float32))
        probabilities.append(probs.astype(np.float16))
        if (start // batch) % max(1, log_every // batch) == 0:
            print(f"{start + len(pixels)}/{len(paths)} images, {time.perf_counter() - started:.0f} s", flush=True)
    return np.concatenate(features), np.concatenate(probabilities)


def main() -> None:
    """Extract and cache features for every image of a labels file (JSON lines with `file` relative to it)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    records = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()]
    paths = [args.labels.parent / r["file"] for r in records]
    session, name, manifest = feature_session(args.bundle, args.threads)
    started = time.perf_counter()
    features, probabilities = extract(session, name, manifest, paths)
    seconds = time.perf_counter() - started
    np.savez(args.out, features=features, probabilities=probabilities, index=np.array([r["index"] for r in records]),
             kind=np.array([r["kind"] for r in records]), source=np.array([r["source"] for r in records]))
    print(f"{len(paths)} images in {seconds:.0f} s ({60 * len(paths) / seconds:.0f} images/min), feature tensor {name}")


if __name__ == "__main__":
    main()
