"""Training crops come from a decode at least as large as the crop needs: the box is drawn on the full-size photo,
then the JPEG is decoded at the smallest scale that keeps it at least the input size (never upsampled)."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image

from hashtagnet.data.photos import SKIMAGE_DATA
from hashtagnet.data.transforms import crop_source, train_view


def _jpeg_1080() -> bytes:
    photo = Image.open(SKIMAGE_DATA / "chelsea.png").convert("RGB").resize((1440, 1080), Image.BICUBIC)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_no_224_px_crop_of_a_1080_px_photo_is_upsampled_and_small_crops_still_decode_reduced():
    data, decoded_widths = _jpeg_1080(), set()
    for seed in range(100):
        image, (left, top, right, bottom) = crop_source(data, 224, random.Random(seed))
        assert right - left >= 224 - 0.5 and bottom - top >= 224 - 0.5, seed
        decoded_widths.add(image.width)
    assert 1440 in decoded_widths and min(decoded_widths) < 1440  # small boxes decode full size, large ones reduced


def test_the_view_is_the_input_size():
    view = train_view(_jpeg_1080(), 64, random.Random(0), (0.08, 1.0))
    assert view.shape == (64, 64, 3) and view.dtype == np.uint8
