"""Export a pretrained EfficientNet-Lite (ImageNet-1k) as a verified caption bundle, with the real-photo checks."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from hashtagnet.data import imagenet, images, photos
from hashtagnet.models import efficientnet_lite

from . import bundle, verify
from .exporter import export_bundle


def export_pretrained(variant_name: str, out_dir: Path, version: str, command: str) -> dict:
    """Export one pretrained EfficientNet-Lite with parity on real photos and the real-photo ancestor checks."""
    variant = efficientnet_lite.VARIANTS[variant_name]
    class_ids = imagenet.imagenet_class_ids()
    parity_images = [images.load_for_model(p, variant.resize_shorter, variant.input_size) for p in photos.all_photo_paths()]
    source = efficientnet_lite.provenance_source(variant_name)
    provenance = {
        "source": source,
        "license": f"Apache-2.0 (weights: {efficientnet_lite.package_license(source['package'])}; "
                   f"architecture: {efficientnet_lite.package_license(efficientnet_lite.ARCH_PACKAGE)}); "
                   "class names and hierarchy: WordNet 3.0 license (Princeton)",
        "training_data": "ImageNet-1k (ILSVRC-2012) training set; TF EfficientNet-Lite checkpoints ported to PyTorch",
        "class_list": imagenet.class_list_source(),
        "wordnet": "WordNet 3.0, Debian package wordnet-base",
        "export_command": command,
    }
    manifest = export_bundle(
        efficientnet_lite.load_pretrained(variant_name), out_dir, name=Path(out_dir).name, version=version,
        class_ids=class_ids, input_size=variant.input_size, resize_shorter=variant.resize_shorter,
        mean=efficientnet_lite.LITE_MEAN, std=efficientnet_lite.LITE_STD, provenance=provenance,
        parity_images=parity_images)
    manifest["metrics"]["real_photos"] = verify.real_photo_report(out_dir, manifest)
    manifest["metrics"]["real_photo_views"] = verify.view_accuracy(out_dir, manifest)
    bundle.write_manifest(out_dir, manifest)
    return manifest


def main(argv: list[str] | None = None) -> None:
    """CLI: python -m hashtagnet.export.pretrained --variant lite0 --out models/efficientnet-lite0"""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", required=True, choices=["lite0", "lite1", "lite2"])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--version", default="1.0.0")
    args = parser.parse_args(argv)
    command = "python -m hashtagnet.export.pretrained " + shlex.join(sys.argv[1:] if argv is None else argv)
    manifest = export_pretrained(args.variant, args.out, args.version, command)
    metrics = manifest["metrics"]
    print(f"{args.out}: parity {metrics['parity']}")
    for row in metrics["real_photos"]:
        print(f"  {row['photo']}: {row['top1_name']} ({row['top1_probability']}) ok={row['ok']}")


if __name__ == "__main__":
    main()
