"""An uploaded JPEG or PNG, really decoded (Pillow), within a pixel ceiling read from its header
before any decoding: a 48 Ko PNG that declares 20 000 × 20 000 pixels is refused in French, never
expanded in memory (nor turned into a server error by Pillow's decompression-bomb guard)."""

from __future__ import annotations

import io
import re
import warnings

from django.core.exceptions import ValidationError
from PIL import Image

MAX_PIXELS = 40_000_000  # 40 mégapixels: a phone takes 12 to 24 by default; an A4 page scanned at 600 dpi, 35
# Pillow names a phone's JPEG with several pictures "MPO": still a JPEG.
IMAGE_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}

DAMAGED = "Cette image ne peut pas être lue : elle est endommagée."
ONLY = "Seuls les fichiers PDF, JPEG et PNG sont acceptés."
CEILING = f"{MAX_PIXELS // 1_000_000} mégapixels au plus"


def image_checked(content: bytes, *, field: str = "file") -> str:
    """The type of `content` (image/jpeg or image/png) once its header is within MAX_PIXELS and
    it decodes to the end; else a French ValidationError on `field`."""
    with warnings.catch_warnings():
        # Pillow only warns between 89 and 179 megapixels: here, an error like above.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            kind, pixels = _header(content)
            if kind in IMAGE_TYPES and pixels <= MAX_PIXELS:
                _decoded(content)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            # Pillow refuses before giving the size; its message says it: "Image size (400000000
            # pixels) exceeds limit of ...".
            declared = re.search(r"\((\d+) pixels\)", str(error))
            size = f" ({megapixels(int(declared[1]))} mégapixels)" if declared else ""
            raise ValidationError({field: f"Cette image est trop grande{size} : {CEILING}."}) from error
        except Exception as error:  # Pillow raises assorted exceptions on hostile or broken files
            raise ValidationError({field: DAMAGED}) from error
    if kind not in IMAGE_TYPES:
        raise ValidationError({field: ONLY})
    if pixels > MAX_PIXELS:
        raise ValidationError(
            {field: f"Cette image est trop grande ({megapixels(pixels)} mégapixels) : {CEILING}."}
        )
    return IMAGE_TYPES[kind]


def _header(content: bytes) -> tuple[str, int]:
    """The format and the number of pixels the header declares; nothing decoded yet."""
    with Image.open(io.BytesIO(content), formats=("JPEG", "PNG")) as image:
        width, height = image.size
        return str(image.format), width * height


def _decoded(content: bytes) -> None:
    """Check the chunks (verify), then decode every pixel on a fresh open (verify leaves the
    image unusable): a truncated or corrupt file fails here."""
    with Image.open(io.BytesIO(content), formats=("JPEG", "PNG")) as image:
        image.verify()
    source = _ReadsPastTheEnd(content)
    with Image.open(source, formats=("JPEG", "PNG")) as image:
        if image.format in ("JPEG", "MPO"):
            # Decoded at 1/8 scale: every byte of the file is still read and decoded, in 64 times
            # less memory.
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
    if source.past_the_end:
        raise OSError("image file is truncated")


class _ReadsPastTheEnd(io.BytesIO):
    """Whether the decoder asked for bytes past the end: the file is truncated. Pillow would say
    so itself, unless `ImageFile.LOAD_TRUNCATED_IMAGES` is set — and WeasyPrint sets it for the
    whole process when it is imported (weasyprint/images.py), which the letters do."""

    past_the_end = False

    def read(self, size: int | None = -1) -> bytes:
        if size != 0 and self.tell() >= len(self.getbuffer()):
            self.past_the_end = True
        return super().read(size)


def megapixels(pixels: int) -> str:
    """144000000 -> "144"; 40000001 -> "40,1" (rounded up, so that it reads as over 40; French
    decimal comma)."""
    tenths = -(-pixels // 100_000)
    return f"{tenths // 10},{tenths % 10}".removesuffix(",0")
