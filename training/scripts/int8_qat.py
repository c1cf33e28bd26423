"""Quantization-aware fine-tuning of a bundle by distillation from its own fp32 outputs, measured like the int8 study.

    cd training && nice -n 19 ~/.cache/hashtagnet-venv/bin/python scripts/int8_qat.py \
        --fp32 ../models/efficientnet-lite0 --out /tmp/int8-qat --views 1600 --steps 500 --batch 16

The student is the float graph ONNX Runtime quantizes (quantize.prepare_float: BatchNorm folded, dead channels zeroed)
run node by node in PyTorch, with fake quantization exactly where RECIPE's QDQ model has it: activations per tensor at
the scales and zero points of that model (MinMax on the calibration views), weights symmetric per channel (max|w|/127,
recomputed every step), biases int32 at input scale x weight scale, round half to even, straight-through gradients.
The float prefix stays float and frozen, so its output is computed once per view. Loss: KL(teacher || student),
teacher = the bundle's fp32 probabilities in ONNX Runtime, on random views (crop, flip, colour jitter) of the
calibration photos only. The tuned weights go back into the same graph (same tensor names), which is quantized by
RECIPE (recalibrated) and with the ranges the student trained with, then measured on the held-out views: int8
kernels, emulated (QDQ in float), and the tuned float model against the original."""

from __future__ import annotations

import argparse
import json
import random
import shlex
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper
from PIL import Image, ImageEnhance

from hashtagnet.data import images, photos
from hashtagnet.data.transforms import resized_crop_box
from hashtagnet.export import bundle, machine, runtime
from hashtagnet.export.quantize import RECIPE, agreement, prepare_float, quantize_model

DQ_SUFFIX = "_DequantizeLinear_Output"


def round_ste(x: torch.Tensor) -> torch.Tensor:
    """Round half to even (as QuantizeLinear does) with a straight-through gradient."""
    return x + (torch.round(x) - x).detach()


def fake_quant(x: torch.Tensor, scale: float, zero_point: int, qmin: int = -128, qmax: int = 127) -> torch.Tensor:
    """QuantizeLinear then DequantizeLinear: saturate(round(x / scale) + zp) back to float; no gradient outside it."""
    return (torch.clamp(round_ste(x / scale) + zero_point, qmin, qmax) - zero_point) * scale


def weight_scale(w: torch.Tensor, axis: int) -> torch.Tensor:
    """ORT's symmetric per-channel int8 weight scale: max|w|/127 per channel along axis (1 for an all-zero one)."""
    dims = [d for d in range(w.dim()) if d != axis]
    scale = w.detach().abs().amax(dim=dims, keepdim=True) / 127.0
    return torch.where(scale > 0, scale, torch.ones_like(scale))


def fake_quant_weight(w: torch.Tensor, axis: int) -> torch.Tensor:
    """Symmetric per-channel int8 weights (-127..127) at weight_scale, back to float."""
    scale = weight_scale(w, axis)
    return torch.clamp(round_ste(w / scale), -127, 127) * scale


def fake_quant_bias(b: torch.Tensor, input_scale: float, w: torch.Tensor, axis: int) -> torch.Tensor:
    """ORT's int32 bias: scale = input scale x the weight's per-channel scale, zero point 0."""
    scale = input_scale * weight_scale(w, axis).flatten()
    return torch.clamp(round_ste(b / scale), -2**31, 2**31 - 1) * scale


class OnnxStudent(torch.nn.Module):
    """A float ONNX graph (the ops of an exported EfficientNet-Lite) in PyTorch, fake-quantized where a QDQ model of it
    quantizes; Conv and Gemm weights and biases after the first quantized node are trainable parameters."""

    def __init__(self, float_model: onnx.ModelProto, qdq_model: onnx.ModelProto):
        super().__init__()
        self.graph = float_model.graph
        self.consts = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in self.graph.initializer}
        qinit = {i.name: numpy_helper.to_array(i) for i in qdq_model.graph.initializer}
        self.act_q = {n.input[0]: (float(qinit[n.input[1]]), int(qinit[n.input[2]]))
                      for n in qdq_model.graph.node if n.op_type == "QuantizeLinear" and n.input[0] not in self.consts}
        dq_axis = {n.output[0]: next((a.i for a in n.attribute if a.name == "axis"), 1)
                   for n in qdq_model.graph.node if n.op_type == "DequantizeLinear"}
        self.weight_axis = {n.input[1][:-len(DQ_SUFFIX)]: dq_axis[n.input[1]] for n in qdq_model.graph.node
                            if n.op_type in ("Conv", "Gemm") and n.input[1].endswith(DQ_SUFFIX)}
        names = [n.name for n in qdq_model.graph.node if n.op_type in ("Conv", "Gemm", "Add")]
        first = next(i for i, n in enumerate(self.graph.node)
                     if any(x in self.act_q for x in n.input) and n.name in names)
        self.prefix, self.rest = list(self.graph.node[:first]), list(self.graph.node[first:])
        produced = {o for n in self.prefix for o in n.output} | {i.name for i in self.graph.input}
        self.boundary = sorted({x for n in self.rest for x in n.input if x in produced})
        self.params = torch.nn.ParameterDict()
        for node in self.rest:
            if node.op_type in ("Conv", "Gemm"):
                for name in node.input[1:]:
                    self.params[self.key(name)] = torch.nn.Parameter(self.consts[name].clone())
        self.alive = {name: (self.consts[name].abs().flatten(1).amax(1) > 0) for name in self.weight_axis
                      if self.consts[name].dim() == 4}
        self.quantize = True

    @staticmethod
    def key(name: str) -> str:
        """An initializer's name as a ParameterDict key (no dots)."""
        return name.replace(".", "__")

    def value(self, name: str) -> torch.Tensor:
        """An initializer: the trainable float value where there is one, else the graph's constant."""
        key = self.key(name)
        if key not in self.params:
            return self.consts[name]
        w = self.params[key]
        if name in self.alive:  # dead channels stay exactly zero, as zero_dead_channels leaves them
            w = w * self.alive[name].view(-1, 1, 1, 1).to(w.dtype)
        return w

    def q(self, name: str, x: torch.Tensor) -> torch.Tensor:
        """x fake-quantized at tensor `name`'s scale and zero point when the QDQ model quantizes it."""
        return fake_quant(x, *self.act_q[name]) if self.quantize and name in self.act_q else x

    def run_prefix(self, pixels: torch.Tensor) -> dict:
        """The float prefix (never quantized, never trained): boundary tensors for uint8 NHWC pixels."""
        with torch.no_grad():
            env = self.run(self.prefix, {self.graph.input[0].name: pixels})
        return {name: env[name] for name in self.boundary}

    def forward_rest(self, boundary: dict) -> torch.Tensor:
        """The logits (the final Softmax's input) from the boundary tensors; fake-quantized when self.quantize."""
        softmax = self.rest[-1]
        assert softmax.op_type == "Softmax", softmax.op_type
        env = self.run(self.rest[:-1], {name: self.q(name, x) for name, x in boundary.items()})
        return env[softmax.input[0]]

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.forward_rest(self.run_prefix(pixels))

    def run(self, nodes, env: dict) -> dict:
        """Evaluate nodes in order into env (tensor name -> value), weights and biases fake-quantized as ORT's."""
        for node in nodes:
            args = [env[x] if x in env else self.value(x) if x else None for x in node.input]
            if self.quantize and node.op_type in ("Conv", "Gemm") and node.input[1] in self.weight_axis:
                axis = self.weight_axis[node.input[1]]
                if len(args) > 2:
                    args[2] = fake_quant_bias(args[2], self.act_q[node.input[0]][0], args[1], axis)
                args[1] = fake_quant_weight(args[1], axis)
            env[node.output[0]] = self.q(node.output[0], run_node(node, args))
        return env

    def tuned_model(self, float_model: onnx.ModelProto) -> onnx.ModelProto:
        """A copy of float_model with the trained (float, unquantized) weights and biases."""
        tuned = onnx.ModelProto()
        tuned.CopyFrom(float_model)
        for init in tuned.graph.initializer:
            if self.key(init.name) in self.params:
                init.CopyFrom(numpy_helper.from_array(self.value(init.name).detach().numpy(), init.name))
        return tuned


def run_node(node, args: list) -> torch.Tensor:
    """One ONNX node of the exported classifiers' op set, in float32."""
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    op, x = node.op_type, args[0]
    if op == "Cast":
        return x.to(torch.float32)
    if op in ("Div", "Sub", "Add", "Mul"):
        return {"Div": torch.div, "Sub": torch.sub, "Add": torch.add, "Mul": torch.mul}[op](x, args[1])
    if op == "Transpose":
        return x.permute(*attrs["perm"])
    if op == "Conv":
        top, left, bottom, right = attrs.get("pads", [0, 0, 0, 0])
        x = F.pad(x, (left, right, top, bottom)) if (top, left) != (bottom, right) else x
        padding = (top, left) if (top, left) == (bottom, right) else 0
        return F.conv2d(x, args[1], args[2] if len(args) > 2 else None, attrs.get("strides", 1), padding,
                        attrs.get("dilations", 1), attrs.get("group", 1))
    if op == "Clip":
        low, high = (args + [None, None])[1:3]
        return torch.clamp(x, None if low is None else float(low), None if high is None else float(high))
    if op == "ReduceMean":
        return x.mean(dim=[int(a) for a in args[1]], keepdim=bool(attrs.get("keepdims", 1)))
    if op == "Reshape":
        return x.reshape([x.shape[i] if s == 0 else int(s) for i, s in enumerate(args[1].tolist())])
    if op == "Gemm":
        b = args[1].t() if attrs.get("transB", 0) else args[1]
        return attrs.get("alpha", 1.0) * x @ b + attrs.get("beta", 1.0) * args[2]
    if op == "Softmax":
        return torch.softmax(x, dim=attrs.get("axis", -1))
    raise NotImplementedError(f"{op} ({node.name})")


def random_view(rgb: np.ndarray, size: int, rng: random.Random) -> np.ndarray:
    """Random-resized crop (scale 0.25-1), mirror with probability 1/2, brightness/contrast/saturation 0.8-1.2."""
    image = Image.fromarray(rgb)
    box = resized_crop_box(image.width, image.height, rng, (0.25, 1.0))
    view = image.resize((size, size), Image.BILINEAR, box=box)
    if rng.random() < 0.5:
        view = view.transpose(Image.FLIP_LEFT_RIGHT)
    for enhance in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        view = enhance(view).enhance(rng.uniform(0.8, 1.2))
    return np.asarray(view, dtype=np.uint8)


def training_views(spec: dict, count: int, seed: int) -> np.ndarray:
    """The study's 429 calibration views plus `count` random views, all of the calibration photos only."""
    calibration_photos, _ = photos.split_by_image(photos.natural_photos())
    rgbs = [images.load_rgb(p.path) for p in calibration_photos]
    rng = random.Random(seed)
    extra = [random_view(rgbs[rng.randrange(len(rgbs))], spec["height"], rng) for _ in range(count)]
    return np.concatenate([photos.bundle_views(spec, [p.path for p in calibration_photos]), np.stack(extra)])


def distil(student: OnnxStudent, boundary: torch.Tensor, teacher: torch.Tensor, steps: int, batch: int, lr: float,
           bias_lr: float, seed: int, log) -> list[dict]:
    """Adam on KL(teacher || fake-quantized student) over shuffled pool views, cosine learning rate; the log holds the
    mean KL and top-1 agreement of each 25 steps."""
    weights = [p for k, p in student.params.items() if student.params[k].dim() > 1]
    biases = [p for k, p in student.params.items() if student.params[k].dim() == 1]
    optimiser = torch.optim.Adam([{"params": weights, "lr": lr}, {"params": biases, "lr": bias_lr}])
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: 0.5 * (1 + np.cos(np.pi * s / steps)))
    generator = torch.Generator().manual_seed(seed)
    order, history, window, started = torch.empty(0, dtype=torch.long), [], [], time.perf_counter()
    for step in range(steps):
        if len(order) < batch:
            order = torch.cat([order, torch.randperm(len(boundary), generator=generator)])
        index, order = order[:batch], order[batch:]
        logits = student.forward_rest({student.boundary[0]: boundary[index]})
        loss = F.kl_div(F.log_softmax(logits, -1), teacher[index], reduction="batchmean")
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        schedule.step()
        window.append((loss.item(), float((logits.argmax(1) == teacher[index].argmax(1)).float().mean())))
        if step % 25 == 24 or step == steps - 1:
            kl, agree = np.mean(window, axis=0)
            row = {"step": step + 1, "kl_mean": round(float(kl), 5), "agreement_mean": round(float(agree), 4),
                   "views": len(window) * batch, "seconds": round(time.perf_counter() - started, 1)}
            window = []
            history.append(row)
            log(row)
    return history


def boundaries(student: OnnxStudent, pixels: np.ndarray, batch: int = 16) -> torch.Tensor:
    """The float prefix's output for every view (one boundary tensor: asserted at start)."""
    parts = [student.run_prefix(torch.from_numpy(pixels[i:i + batch]))[student.boundary[0]]
             for i in range(0, len(pixels), batch)]
    return torch.cat(parts)


def student_agreement(student: OnnxStudent, reference: np.ndarray, pixels: np.ndarray, batch: int = 16) -> dict:
    """Top-1 agreement and max |dp| of the student (fake-quantized or not) against reference probabilities."""
    with torch.no_grad():
        probs = np.concatenate([torch.softmax(student(torch.from_numpy(pixels[i:i + batch])), -1).numpy()
                                for i in range(0, len(pixels), batch)])
    agree = float((probs.argmax(1) == reference.argmax(1)).mean())
    return {"views": int(len(pixels)), "top1_agreement": round(agree, 4),
            "max_abs_prob_diff": float(np.abs(probs - reference).max())}


def measure(fp32_model: Path, tuned: Path, calibration: np.ndarray, held_out: np.ndarray, base_ranges: Path,
            scratch: Path, emulated: bool) -> dict:
    """Held-out agreement with the original fp32: the tuned float model, RECIPE recalibrated on it, and RECIPE at the
    ranges the student trained with (the original model's calibration); int8 kernels, and QDQ in float if asked."""
    reference = runtime.predict(runtime.open_session(fp32_model, threads=1), held_out)
    tuned_fp32 = runtime.predict(runtime.open_session(tuned, threads=1), held_out)
    result = {"fp32_tuned_vs_original": {
        "top1_agreement": round(float((tuned_fp32.argmax(1) == reference.argmax(1)).mean()), 4),
        "mean_l1_prob_diff": round(float(np.abs(tuned_fp32 - reference).sum(1).mean()), 4)}}
    trained = scratch / "trained-ranges"
    trained.mkdir(exist_ok=True)
    for path in base_ranges.glob("ranges-*.json"):
        shutil.copyfile(path, trained / path.name)
    for name, cache in (("recalibrated", None), ("trained_ranges", trained)):
        int8 = scratch / f"tuned-int8-{name}.onnx"
        quantize_model(tuned, int8, "image", calibration, RECIPE, cache)
        result[name] = agreement(reference, int8, held_out)
        if emulated and name == "recalibrated":
            probs = runtime.predict(runtime.open_session(int8, threads=1, optimize=False), held_out)
            result[name]["emulated_top1_agreement"] = round(float((probs.argmax(1) == reference.argmax(1)).mean()), 4)
        print(name, result[name], flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fp32", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder for the tuned models, log and result.json")
    parser.add_argument("--views", type=int, default=1600, help="random views of the calibration photos (+ the 429)")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-6, help="Adam, weights")
    parser.add_argument("--bias-lr", type=float, default=1.5e-5, help="Adam, biases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-emulated", action="store_true", help="skip the QDQ-in-float agreement (slow)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = bundle.read_bundle(args.fp32)
    fp32_model = args.fp32 / manifest["model_file"]
    sets = photos.int8_photo_sets(manifest["input"])
    prepared, base_qdq, base_ranges = args.out / "prepared.onnx", args.out / "base-int8.onnx", args.out / "base-ranges"
    base_ranges.mkdir(exist_ok=True)
    prepare_float(fp32_model, prepared)
    quantize_model(fp32_model, base_qdq, manifest["input"]["name"], sets["calibration"], RECIPE, base_ranges)
    student = OnnxStudent(onnx.load(str(prepared)), onnx.load(str(base_qdq)))
    assert len(student.boundary) == 1, student.boundary
    result = {"command": "scripts/int8_qat.py " + shlex.join(sys.argv[1:]),
              "cpu": machine.cpu_model(), "cpu_int8_features": machine.int8_features(), "torch_threads": 1}
    log_file = open(args.out / "log.jsonl", "a")

    def log(row):
        log_file.write(json.dumps(row) + "\n")
        log_file.flush()
        print(row, flush=True)

    check = sets["calibration"][::13]
    bundle_probs = runtime.predict(runtime.open_session(fp32_model, threads=1), check)
    emulated_probs = runtime.predict(runtime.open_session(base_qdq, threads=1, optimize=False), check)
    student.quantize = False
    result["start_float_vs_bundle"] = student_agreement(student, bundle_probs, check)
    student.quantize = True
    result["start_fake_quant_vs_ort_emulated"] = student_agreement(student, emulated_probs, check)
    log({"start": {k: result[k] for k in ("start_float_vs_bundle", "start_fake_quant_vs_ort_emulated")}})
    started = time.perf_counter()
    cached = args.out / f"pool-{args.views}-{args.seed}.pt"  # teacher and prefix outputs, reused by a rerun
    if not cached.exists():
        pool = training_views(manifest["input"], args.views, args.seed)
        teacher = torch.from_numpy(runtime.predict(runtime.open_session(fp32_model, threads=1), pool))
        torch.save({"teacher": teacher, "boundary": boundaries(student, pool)}, cached)
    teacher, boundary = torch.load(cached).values()
    result["pool"] = {"views": int(len(boundary)), "seconds": round(time.perf_counter() - started, 1)}
    log(result["pool"])
    history = distil(student, boundary, teacher, args.steps, args.batch, args.lr, args.bias_lr, args.seed, log)
    result["training"] = {"steps": args.steps, "batch": args.batch, "student_views_seen": args.steps * args.batch,
                          "seconds_with_pool": round(time.perf_counter() - started, 1), "last": history[-1]}
    tuned = args.out / "tuned.onnx"
    onnx.save(student.tuned_model(onnx.load(str(prepared))), str(tuned))
    (args.out / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    result["held_out"] = measure(fp32_model, tuned, sets["calibration"], sets["agreement"], base_ranges, args.out,
                                 not args.no_emulated)
    result["held_out"]["views"] = int(len(sets["agreement"]))
    (args.out / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["held_out"], indent=1))


if __name__ == "__main__":
    main()
