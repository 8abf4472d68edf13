"""Small previews of attached images, made by decoding and re-encoding them.

The preview is a fresh PNG drawn from the decoded pixels, never the uploaded bytes, so a
file that only claims to be an image shows no preview and nothing it carries reaches the
browser. Images too large to decode safely are refused, as are files Pillow cannot read.
Previews are made once and kept beside the attachments in storage.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from tickets.attachments import IMAGE_EXTENSIONS

logger = logging.getLogger(__name__)

SIZE = (320, 320)
# A decompression bomb (a small file of enormous dimensions) is refused before decoding.
MAX_PIXELS = 40_000_000


def _storage_name(attachment) -> str:
    return f"thumbnails/{attachment.file.name}.png"


def _render(source) -> bytes | None:
    try:
        with Image.open(source) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            image.draft("RGB", (SIZE[0] * 2, SIZE[1] * 2))  # JPEG: decode at a smaller scale
            image = ImageOps.exif_transpose(image)
            image.thumbnail(SIZE)
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        logger.info("No preview for attachment: %s", error)
        return None


def thumbnail_for(attachment) -> bytes | None:
    """The PNG preview of an attached image, or None when it is not a readable image."""
    if attachment.extension not in IMAGE_EXTENSIONS:
        return None
    name = _storage_name(attachment)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as kept:
            return kept.read()
    with attachment.file.open("rb") as source:
        data = _render(source)
    if data is not None:
        default_storage.save(name, ContentFile(data))
    return data
