"""Rules for files people attach: what is accepted, and how a name is made safe to keep."""

import mimetypes
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat


def safe_filename(name: str) -> str:
    """The file's own name without any path, control characters or leading dots."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if not name:
        return "attachment"
    stem, dot, ext = name.rpartition(".")
    if len(name) > 200:
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name


def content_type_for(filename: str) -> str:
    # The browser's claim is not trusted; the type only ever labels a download.
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def problems_with(upload) -> list[str]:
    """What is wrong with one uploaded file, in words for the person who chose it."""
    name = safe_filename(upload.name)
    problems = []
    allowed = settings.HELPDESK_ALLOWED_ATTACHMENT_EXTENSIONS
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in allowed:
        kind = f".{ext} files" if ext else "Files without an extension"
        problems.append(
            f"{name}: {kind} are not accepted. Accepted types: {', '.join(sorted(allowed))}."
        )
    limit = settings.HELPDESK_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        problems.append(
            f"{name} is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)} "
            "per file."
        )
    if upload.size == 0:
        problems.append(f"{name} is empty.")
    return problems
