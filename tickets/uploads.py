"""Files kept between a refused form and its next submission, so nobody chooses them twice.

The form carries the kept files as a signed list of ids: a person can drop one of theirs,
but cannot name somebody else's.
"""

from datetime import timedelta

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from tickets.attachments import store_upload
from tickets.models import PendingUpload

_SALT = "tickets.pending-uploads"
# A form left open over a weekend still has its files; older ones are purged.
MAX_AGE = timedelta(days=3)


def stash(upload: UploadedFile) -> PendingUpload:
    return store_upload(PendingUpload(), upload)


def token_for(pending: list[PendingUpload]) -> str:
    return signing.dumps([str(p.pk) for p in pending], salt=_SALT) if pending else ""


def from_token(token: str, *, dropped: list[str] = ()) -> list[PendingUpload]:
    """The kept files a form's token names, in their order, less those the person dropped."""
    if not token:
        return []
    try:
        ids = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    wanted = [i for i in ids if isinstance(i, str) and i not in set(dropped)]
    found = {str(p.pk): p for p in PendingUpload.objects.filter(pk__in=wanted)}
    return [found[i] for i in wanted if i in found]


def purge_abandoned(now=None) -> int:
    """Delete kept files whose forms were never sent again; return how many."""
    cutoff = (now or timezone.now()) - MAX_AGE
    count = 0
    for pending in PendingUpload.objects.filter(created_at__lt=cutoff).iterator():
        pending.file.delete(save=False)
        pending.delete()
        count += 1
    return count
