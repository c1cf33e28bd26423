"""The Python service a team would write instead of imgsense's classifier path (with PEER_DETECTOR_DIR, its default path:
classifier and detector from one decode): FastAPI, Pillow, onnxruntime, micro-batches."""
import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import numpy as np
import onnxruntime as ort
from fastapi import FastAPI, Request
from fastapi.responses import Response

from batcher import MicroBatcher
from detect import detect, post_process, resize_for
from preprocess import Rejected, crop_input, decode, model_input

MODEL_DIR = Path(os.environ.get("PEER_MODEL_DIR", Path(__file__).resolve().parents[2] / "models/efficientnet-lite0"))
INTRA_OP_THREADS = int(os.environ.get("PEER_INTRA_OP_THREADS", "2"))
DECODE_THREADS = int(os.environ.get("PEER_DECODE_THREADS", str(os.cpu_count() or 2)))
BATCH_MAX_SIZE = int(os.environ.get("PEER_BATCH_MAX_SIZE", "4"))
BATCH_MAX_WAIT_MS = float(os.environ.get("PEER_BATCH_MAX_WAIT_MS", "2"))
DETECTOR_DIR = os.environ.get("PEER_DETECTOR_DIR")
TOP_K = 5


def open_session(path: Path) -> ort.InferenceSession:
    """Options as src/runtime/inference-worker.ts sets them: intra-op threads, 1 inter-op, sequential, all optimisations, no spinning."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = INTRA_OP_THREADS
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class Bundle:
    """A bundle's session and manifest; `run` is blocking and safe to call from one thread at a time."""

    def __init__(self, model_dir: Path):
        self.manifest = json.loads((model_dir / "model.json").read_text())
        self.spec = self.manifest["input"]
        self.output_name = self.manifest["output"]["name"]
        self.classes = self.manifest["classes"]
        self.session = open_session(model_dir / self.manifest["model_file"])
        self.run(np.zeros((1, self.spec["height"], self.spec["width"], 3), np.uint8))
        self.run(np.zeros((BATCH_MAX_SIZE, self.spec["height"], self.spec["width"], 3), np.uint8))

    def run(self, batch: np.ndarray) -> np.ndarray:
        return self.session.run([self.output_name], {self.spec["name"]: batch})[0]


class Classifier(Bundle):
    """The caption classifier: the top classes of its probabilities."""

    def top(self, probabilities: np.ndarray) -> list[dict]:
        best = np.argpartition(probabilities, -TOP_K)[-TOP_K:]
        best = best[np.argsort(probabilities[best])[::-1]]
        return [{"id": self.classes[i]["id"], "name": self.classes[i]["name"], "score": round(float(probabilities[i]), 4)} for i in best]


state: dict = {}


@asynccontextmanager
async def lifespan(_: FastAPI):
    classifier = Classifier(MODEL_DIR)
    detector = Bundle(Path(DETECTOR_DIR)) if DETECTOR_DIR else None
    # One inference thread for both models, as the service's one worker holds both sessions; a batcher per model.
    inference = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infer")
    decode_pool = ThreadPoolExecutor(max_workers=DECODE_THREADS, thread_name_prefix="decode")
    batcher = MicroBatcher(classifier.run, inference, BATCH_MAX_SIZE, BATCH_MAX_WAIT_MS / 1000)
    batcher.start()
    state.update(classifier=classifier, batcher=batcher, decode=decode_pool, ready=True)
    if detector:
        detector_batcher = MicroBatcher(detector.run, inference, BATCH_MAX_SIZE, BATCH_MAX_WAIT_MS / 1000)
        detector_batcher.start()
        state.update(detector=detector, detector_batcher=detector_batcher, nms=post_process(detector.manifest))
    yield
    await batcher.stop()
    if detector:
        await detector_batcher.stop()
    decode_pool.shutdown(cancel_futures=True)
    inference.shutdown(cancel_futures=True)


app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)


def problem(status: int, detail: str) -> Response:
    return Response(json.dumps({"status": status, "detail": detail}), status_code=status, media_type="application/problem+json")


@app.get("/readyz")
async def readyz() -> Response:
    if not state.get("ready"):
        return problem(503, "loading")
    return Response(json.dumps({"status": "ready", "pid": os.getpid(), "onnxruntime": ort.__version__}), media_type="application/json")


def both_inputs(body: bytes, content_type: str, classifier: Classifier, detector: Bundle) -> tuple[np.ndarray, np.ndarray]:
    """One decode at the size the more demanding model needs (as src/load-models.ts workingShorterSide), then each model's input."""
    need = detector.spec["resize"].get("shorter_side") or max(detector.spec["height"], detector.spec["width"])
    image = decode(body, content_type, max(classifier.spec["resize"]["shorter_side"], need))
    return crop_input(image, classifier.spec), resize_for(image, detector.spec)


@app.post("/caption")
async def caption(request: Request) -> Response:
    classifier: Classifier = state["classifier"]
    detector: Bundle | None = state.get("detector")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    loop = asyncio.get_running_loop()
    try:
        if detector:
            pixels, boxes_in = await loop.run_in_executor(state["decode"], both_inputs, body, content_type, classifier, detector)
        else:
            pixels = await loop.run_in_executor(state["decode"], model_input, body, content_type, classifier.spec)
    except Rejected as error:
        return problem(error.status, str(error))
    payload: dict = {"model": {"name": classifier.manifest["name"], "version": classifier.manifest["version"]}}
    if detector:
        probabilities, raw = await asyncio.gather(state["batcher"].infer(pixels), state["detector_batcher"].infer(boxes_in))
        payload["objects"] = detect(raw, detector.classes, state["nms"])
    else:
        probabilities = await state["batcher"].infer(pixels)
    payload["labels"] = classifier.top(probabilities)
    return Response(json.dumps(payload), media_type="application/json")
