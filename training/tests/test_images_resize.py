"""The resize rule shared with the server: shorter side to S (bilinear), then the centred C x C crop."""

from __future__ import annotations

import numpy as np
import pytest

from hashtagnet.data import images
from hashtagnet.data.photos import SKIMAGE_DATA


def test_the_shorter_side_becomes_s_and_the_longer_side_is_rounded():
    assert images.resized_size(451, 300, 256) == (385, 256)
    assert images.resized_size(300, 451, 256) == (256, 385)
    assert images.resized_size(256, 256, 256) == (256, 256)


def test_the_crop_offset_is_the_floor_of_half_the_spare_pixels():
    assert images.center_box(385, 256, 224) == (80, 16, 304, 240)
    assert images.center_box(225, 225, 224) == (0, 0, 224, 224)


def test_a_real_photo_comes_out_as_uint8_crop_by_crop_rgb():
    pixels = images.load_for_model(SKIMAGE_DATA / "chelsea.png", 256, 224)
    assert pixels.shape == (224, 224, 3) and pixels.dtype == np.uint8


def test_a_grey_photo_is_widened_to_three_equal_channels():
    rgb = images.load_rgb(SKIMAGE_DATA / "camera.png")
    assert rgb.shape[2] == 3 and np.array_equal(rgb[..., 0], rgb[..., 2])


def test_a_crop_larger_than_the_shorter_side_is_refused():
    with pytest.raises(ValueError):
        images.resize_center_crop(np.zeros((300, 400, 3), np.uint8), 200, 224)


def test_the_manifest_names_the_rule_stretch_ignores_the_aspect_ratio():
    rgb = images.load_rgb(SKIMAGE_DATA / "chelsea.png")
    spec = {"height": 24, "width": 40, "resize": {"method": "stretch"}, "interpolation": "bilinear"}
    assert images.resize_for_input(rgb, spec).shape == (24, 40, 3)
    crop = {"height": 32, "width": 32, "resize": {"method": "shorter_side_center_crop", "shorter_side": 36},
            "interpolation": "bilinear"}
    assert np.array_equal(images.resize_for_input(rgb, crop), images.resize_center_crop(rgb, 36, 32))


def test_encoded_bytes_decode_to_the_same_input_as_the_file():
    path = SKIMAGE_DATA / "coffee.png"
    assert np.array_equal(images.decode_for_model(path.read_bytes(), 64), images.load_for_model(path, 64, 64))
