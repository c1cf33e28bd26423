"""The QAT student's fake quantization is ONNX Runtime's: same int8 weights, int32 biases and activation rounding as
the S8S8 QDQ model quantize_static writes, on a tiny conv graph (scripts/int8_qat.py)."""

from __future__ import annotations

import importlib.util

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

from hashtagnet import REPO_ROOT
from hashtagnet.export import runtime
from hashtagnet.export.quantize import PhotoCalibration

SPEC = importlib.util.spec_from_file_location("int8_qat", REPO_ROOT / "training" / "scripts" / "int8_qat.py")
int8_qat = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(int8_qat)


def tiny_classifier(rng: np.random.Generator) -> onnx.ModelProto:
    """Conv 3x3 -> ReLU6 -> Conv 1x1 -> residual Add -> global mean -> Gemm -> Softmax, on float NCHW input."""
    inits = [numpy_helper.from_array(a.astype(np.float32), n) for n, a in (
        ("w1", rng.normal(0, 0.5, (8, 3, 3, 3))), ("b1", rng.normal(0, 0.2, 8)),
        ("w2", rng.normal(0, 0.3, (8, 8, 1, 1))), ("b2", rng.normal(0, 0.2, 8)),
        ("wf", rng.normal(0, 0.5, (5, 8))), ("bf", rng.normal(0, 0.1, 5)),
        ("lo", np.array(0.0)), ("hi", np.array(6.0)))]
    inits += [numpy_helper.from_array(np.array([2, 3], np.int64), "axes"),
              numpy_helper.from_array(np.array([0, -1], np.int64), "shape")]
    nodes = [helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[0, 0, 1, 1], strides=[2, 2]),
             helper.make_node("Clip", ["c1", "lo", "hi"], ["r1"], name="relu6"),
             helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], name="conv2"),
             helper.make_node("Add", ["c2", "r1"], ["a"], name="add"),
             helper.make_node("ReduceMean", ["a", "axes"], ["m"], name="mean", keepdims=1),
             helper.make_node("Reshape", ["m", "shape"], ["v"], name="view"),
             helper.make_node("Gemm", ["v", "wf", "bf"], ["logits"], name="fc", transB=1),
             helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=-1)]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3, 15, 15])],
                              [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["n", 5])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


@pytest.fixture(scope="module")
def quantized(tmp_path_factory):
    rng = np.random.default_rng(0)
    folder = tmp_path_factory.mktemp("qat")
    float_path, qdq_path = folder / "float.onnx", folder / "qdq.onnx"
    onnx.save(tiny_classifier(rng), str(float_path))
    calibration = rng.normal(0, 1, (32, 3, 15, 15)).astype(np.float32)
    quantize_static(str(float_path), str(qdq_path), PhotoCalibration("x", calibration), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=["Conv", "Gemm", "Add", "Clip"], per_channel=True,
                    activation_type=QuantType.QInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)
    student = int8_qat.OnnxStudent(onnx.load(str(float_path)), onnx.load(str(qdq_path)))
    return float_path, qdq_path, student, rng.normal(0, 1.2, (16, 3, 15, 15)).astype(np.float32)


def test_the_students_int8_weights_are_the_ones_onnx_runtime_writes(quantized):
    _, qdq_path, student, _ = quantized
    model = onnx.load(str(qdq_path))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    assert set(student.weight_axis) == {"w1", "w2", "wf"}
    for weight, axis in student.weight_axis.items():
        shape = [1] * inits[f"{weight}_quantized"].ndim
        shape[axis] = -1
        ort = inits[f"{weight}_quantized"].astype(np.float32) * inits[f"{weight}_scale"].reshape(shape)
        mine = int8_qat.fake_quant_weight(student.consts[weight], axis).numpy()
        np.testing.assert_allclose(mine, ort, rtol=0, atol=1e-7)


def test_the_fake_quantized_student_matches_onnx_runtime_running_the_qdq_model_in_float(quantized):
    float_path, qdq_path, student, x = quantized
    student.quantize = True
    with torch.no_grad():
        mine = torch.softmax(student(torch.from_numpy(x)), -1).numpy()
    emulated = runtime.predict(runtime.open_session(qdq_path, optimize=False), x)
    np.testing.assert_allclose(mine, emulated, rtol=0, atol=1e-5)
    fp32 = runtime.predict(runtime.open_session(float_path), x)
    assert np.abs(fp32 - emulated).max() > 1e-4  # the quantization is there to be matched


def test_the_float_student_matches_the_float_graph_and_writes_it_back_unchanged(quantized):
    float_path, _, student, x = quantized
    student.quantize = False
    with torch.no_grad():
        mine = torch.softmax(student(torch.from_numpy(x)), -1).numpy()
    student.quantize = True
    np.testing.assert_allclose(mine, runtime.predict(runtime.open_session(float_path), x), rtol=0, atol=1e-6)
    tuned = student.tuned_model(onnx.load(str(float_path)))
    for before, after in zip(onnx.load(str(float_path)).graph.initializer, tuned.graph.initializer):
        np.testing.assert_array_equal(numpy_helper.to_array(before), numpy_helper.to_array(after))
