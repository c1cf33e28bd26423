"""Upload bytes to the model's uint8 NHWC RGB input with Pillow, by the rule the bundle's manifest names."""
import io

import numpy as np
from PIL import Image, ImageOps

# The media types our API accepts on this path; like the service, the bytes decide the format among them (Pillow tries no other decoder).
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp")
FORMATS = ("JPEG", "PNG", "WEBP")
# Our service's MAX_PIXELS default; checked from the header, before anything is decoded.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = None

RESAMPLE = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC, "nearest": Image.Resampling.NEAREST}


class Rejected(ValueError):
    """The upload is not an image of an accepted format, or too large; the message is safe to show."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def center_crop_box(width: int, height: int, shorter_side: int, out_w: int, out_h: int) -> tuple[int, int, int, int]:
    """The source box that, scaled so the shorter side is `shorter_side`, gives the centred crop (src/image/resize.ts centerCropRegion)."""
    scale = shorter_side / min(width, height)
    crop_w = min(width, max(1, round_half_up(out_w / scale)))
    crop_h = min(height, max(1, round_half_up(out_h / scale)))
    left = (width - crop_w) // 2
    top = (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def round_half_up(value: float) -> int:
    """JavaScript's Math.round (Python's round() rounds halves to even)."""
    return int(np.floor(value + 0.5))


def flatten_on_white(image: Image.Image) -> Image.Image:
    """RGB with any transparency composited over white, as the service flattens."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def decode(data: bytes, content_type: str, shorter_side: int) -> Image.Image:
    """RGB of the upload, shrunk on load while both sides stay >= shorter_side: EXIF orientation, first frame, flattened."""
    if content_type not in MEDIA_TYPES:
        raise Rejected(415, f"Send {', '.join(MEDIA_TYPES)}.")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Exception as error:
        raise Rejected(415, "The bytes are not a JPEG, PNG or WebP image.") from error
    if image.width * image.height > MAX_PIXELS:
        raise Rejected(413, f"The image has {image.width * image.height} pixels; the limit is {MAX_PIXELS}.")
    # JPEG: let libjpeg scale by 1/2, 1/4 or 1/8 while decoding, keeping both sides >= the shorter side the rule needs.
    image.draft("RGB", (shorter_side, shorter_side))
    try:
        image.seek(0)
        image = ImageOps.exif_transpose(image)
        return flatten_on_white(image)
    except Exception as error:
        raise Rejected(400, "The image data is corrupt or truncated.") from error


def crop_input(image: Image.Image, spec: dict) -> np.ndarray:
    """The centre crop at spec's shorter side, in one pass (Pillow's resize with a box), antialiased like libvips' reduce."""
    box = center_crop_box(image.width, image.height, spec["resize"]["shorter_side"], spec["width"], spec["height"])
    out = image.resize((spec["width"], spec["height"]), RESAMPLE[spec["interpolation"]], box=box)
    return np.asarray(out, dtype=np.uint8)


def model_input(data: bytes, content_type: str, spec: dict) -> np.ndarray:
    """HWC uint8 RGB of spec's height x width: shrink-on-load, EXIF orientation, first frame, flatten, shorter side, centre crop."""
    return crop_input(decode(data, content_type, spec["resize"]["shorter_side"]), spec)
