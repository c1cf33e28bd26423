"""The resize rule shared with the server: the centred region that is C x C at shorter side S, resized to C x C (bilinear)."""

from __future__ import annotations

import numpy as np
import pytest

from hashtagnet.data import images
from hashtagnet.data.photos import SKIMAGE_DATA


def test_the_region_is_the_crop_at_the_scale_of_the_shorter_side_centred_with_a_floored_offset():
    assert images.center_crop_region(451, 300, 256, 224, 224) == (94, 18, 357, 281)
    assert images.center_crop_region(256, 256, 256, 224, 224) == (16, 16, 240, 240)


def test_a_region_already_at_the_crop_size_is_cut_without_resampling():
    rgb = np.arange(256 * 256 * 3, dtype=np.uint32).astype(np.uint8).reshape(256, 256, 3)
    assert np.array_equal(images.resize_center_crop(rgb, 256, 224), rgb[16:240, 16:240])


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
