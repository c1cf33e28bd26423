"""Backbones chosen by name (torchvision, timm, or the miniature's small ResNet) behind one classifier shape."""

from __future__ import annotations

import timm
import torch
import torchvision
from torch import nn


class Classifier(nn.Module):
    """trunk (images -> feature vectors) + linear head (features -> logits); takes normalised float NCHW."""

    def __init__(self, trunk: nn.Module, feature_dim: int, num_classes: int):
        super().__init__()
        self.trunk, self.feature_dim = trunk, feature_dim
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.trunk(x))


def _norm(kind: str, channels: int) -> nn.Module:
    return nn.BatchNorm2d(channels) if kind == "batch" else nn.GroupNorm(min(8, channels // 4), channels)


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, norm: str):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), _norm(norm, cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), _norm(norm, cout),
        )
        self.skip = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), _norm(norm, cout))

    def forward(self, x):
        return torch.relu(self.body(x) + self.skip(x))


def mini_resnet(width: int = 16, stages: int = 3, norm: str = "batch", stem_stride: int = 2) -> tuple[nn.Module, int]:
    """A small ResNet for 32-64 px images on CPU: a stem and one basic block per stage, widths doubling."""
    stem = nn.Conv2d(3, width, 3, stem_stride, 1, bias=False)
    layers: list[nn.Module] = [stem, _norm(norm, width), nn.ReLU(inplace=True)]
    channels = width
    for stage in range(stages):
        out = width * 2**stage
        layers.append(_Block(channels, out, 1 if stage == 0 else 2, norm))
        channels = out
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), channels


def _torchvision_trunk(name: str) -> tuple[nn.Module, int]:
    net = torchvision.models.get_model(name, weights=None)
    if hasattr(net, "fc"):
        dim, net.fc = net.fc.in_features, nn.Identity()
    else:
        last = net.classifier[-1]
        dim = last.in_features
        net.classifier[-1] = nn.Identity()
    return net, dim


def _timm_trunk(name: str) -> tuple[nn.Module, int]:
    net = timm.create_model(name, pretrained=False, num_classes=0)
    return net, net.num_features


def build_model(name: str, num_classes: int, **options) -> Classifier:
    """`mini_resnet`, a torchvision model name (resnet50, resnext101_32x8d...) or `timm/<name>`; random init."""
    if name == "mini_resnet":
        trunk, dim = mini_resnet(**options)
    elif name.startswith("timm/"):
        trunk, dim = _timm_trunk(name.split("/", 1)[1])
    else:
        trunk, dim = _torchvision_trunk(name)
    return Classifier(trunk, dim, num_classes)


def replace_head(model: Classifier, num_classes: int, seed: int = 0) -> Classifier:
    """A fresh linear head for a new label set (the trunk keeps its pretrained weights)."""
    torch.manual_seed(seed)
    model.head = nn.Linear(model.feature_dim, num_classes)
    return model
