"""Rules for files people attach: what is accepted, and how a name is made safe to keep."""

import mimetypes
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

# Files whose names say image: the staff thread offers a preview (tickets.thumbnails).
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})


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


class NotStored(Exception):
    """A file could not be written (the disk full, the storage away); nothing of it is left.

    str() of it names the file for the person who sent it."""

    def __init__(self, filename: str, error: OSError):
        super().__init__(f"{filename}: {error.strerror or error}")
        self.filename, self.error = filename, error


def write_file(field_file, filename: str, content) -> None:
    """Write `content` into the storage of a FileField of an unsaved row, under the name
    its upload_to makes; on failure remove whatever was partly written and raise NotStored.

    Django's own FieldFile.save leaves a half-written file behind when the disk fills.
    """
    field, storage = field_file.field, field_file.storage
    name = storage.get_available_name(
        field.generate_filename(field_file.instance, filename), max_length=field.max_length
    )
    try:
        saved = storage.save(name, content, max_length=field.max_length)
    except OSError as error:
        storage.delete(name)
        raise NotStored(filename, error) from error
    setattr(field_file.instance, field.attname, saved)


def store_upload(record, upload):
    """Fill in a file record (Attachment or PendingUpload) from an upload, and save both.

    The stored name is random (the model's upload_to); the person's name for the file is
    kept, made safe, in `filename`. NotStored when the file cannot be written.
    """
    record.filename = safe_filename(upload.name)
    record.content_type = content_type_for(record.filename)
    record.size = upload.size
    record.created_at = timezone.now()
    write_file(record.file, record.filename, upload)
    try:
        record.save()
    except BaseException:
        record.file.delete(save=False)  # the row failed: its file would be an orphan
        raise
    return record


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
