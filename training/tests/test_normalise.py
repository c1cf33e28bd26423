"""The one normalisation: (pixel / 255 - mean) / std per channel, NHWC uint8 in, NCHW float32 out."""

from __future__ import annotations

import torch

from hashtagnet.data.normalise import channel_stats, normalise
from hashtagnet.export.inference_graph import PixelsToProbabilities
from hashtagnet.train.loop import to_model_input


def test_a_pixel_becomes_its_channel_normalised_value_in_nchw_order():
    pixels = torch.tensor([[[[0, 127, 255]]]], dtype=torch.uint8)  # one 1x1 image, NHWC
    x = normalise(pixels, channel_stats([0.0, 0.5, 1.0]), channel_stats([1.0, 0.5, 0.25]))
    assert x.shape == (1, 3, 1, 1) and x.dtype == torch.float32 and x.is_contiguous()
    expected = torch.tensor([0.0, (127 / 255 - 0.5) / 0.5, 0.0])
    torch.testing.assert_close(x.flatten(), expected)


def test_the_training_loop_and_the_exported_graph_feed_the_backbone_the_same_bits():
    seen = []
    recipe = {"normalise": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}}
    graph = PixelsToProbabilities(lambda x: seen.append(x) or x.mean(dim=(2, 3)), **recipe["normalise"])
    pixels = torch.randint(0, 256, (2, 5, 4, 3), generator=torch.Generator().manual_seed(0)).to(torch.uint8)
    graph(pixels)
    assert torch.equal(seen[0], to_model_input(pixels, recipe))
