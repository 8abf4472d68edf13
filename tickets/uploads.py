"""Files kept between a refused form and its next submission, so nobody chooses them twice.

The form carries the kept files as a signed list of ids: a person can drop one of theirs,
but cannot name somebody else's.

Keeping is generous to people and bounded for attackers. Kept files count against a budget
per browser session and per client address, and against a total for the whole helpdesk
(settings HELPDESK_PENDING_UPLOAD_*); past any of them a file is not kept, and the person is
asked to attach it again. Files not sent again within HELPDESK_PENDING_UPLOAD_KEEP_HOURS are
deleted by the worker (tickets.tasks.purge_pending_uploads) and by `purge_pending_uploads`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from helpdesk import throttle
from tickets.attachments import NotStored, safe_filename, store_upload
from tickets.models import PendingUpload

_SALT = "tickets.pending-uploads"


def max_age() -> timedelta:
    return timedelta(hours=settings.HELPDESK_PENDING_UPLOAD_KEEP_HOURS)


@dataclass(frozen=True)
class Keeper:
    """Whose kept files these are, for the budgets: a browser session and a client address."""

    session_key: str
    address: str | None

    @classmethod
    def of(cls, request) -> "Keeper":
        if request.session.session_key is None:
            # An anonymous visitor has no session until now; the budget needs one.
            request.session.save()
        return cls(request.session.session_key, client_address(request))


def client_address(request) -> str | None:
    """The address the request came from, by the throttles' one rule (REMOTE_ADDR, or
    X-Forwarded-For as far as TRUSTED_PROXIES trusts it), so a budget behind a proxy is each
    client's and not the proxy's."""
    return throttle.client_address(request) or None


class NotKept(Exception):
    """A budget is spent: the file is not kept; the message asks to attach it again."""


def _kept_bytes(condition: Q | None = None) -> int:
    rows = PendingUpload.objects.filter(condition) if condition else PendingUpload.objects
    return rows.aggregate(total=Sum("size"))["total"] or 0


def budget_problem(size: int, keeper: Keeper | None, name: str) -> str | None:
    """Why a file of this size is not kept for this keeper, in words; None if it may be."""
    again = "Please attach it again when you send the form."
    if _kept_bytes() + size > settings.HELPDESK_PENDING_UPLOAD_TOTAL_BYTES:
        return (
            f"{name} could not be kept for you: too many files are waiting for forms to be "
            f"sent again right now. {again}"
        )
    if keeper is None:
        return None
    checks = [
        (Q(session_key=keeper.session_key), settings.HELPDESK_PENDING_UPLOAD_SESSION_BYTES),
    ]
    if keeper.address:
        checks.append(
            (Q(client_address=keeper.address), settings.HELPDESK_PENDING_UPLOAD_ADDRESS_BYTES)
        )
    for condition, budget in checks:
        if _kept_bytes(condition) + size > budget:
            return (
                f"{name} could not be kept for you: files already kept for your unsent forms "
                f"reach the limit of {filesizeformat(budget)}. {again}"
            )
    return None


def stash(upload: UploadedFile, keeper: Keeper | None = None) -> PendingUpload:
    """Keep one acceptable file for the form's next submission; refuses (NotKept) over a
    budget. Without a keeper (the system's own use) only the total applies."""
    problem = budget_problem(upload.size, keeper, safe_filename(upload.name))
    if problem:
        raise NotKept(problem)
    record = PendingUpload(
        session_key=keeper.session_key if keeper else "",
        client_address=keeper.address if keeper else None,
    )
    try:
        return store_upload(record, upload)
    except NotStored as failure:
        raise NotKept(
            f"{failure.filename} could not be kept for you: the helpdesk has no room for files "
            "just now. Please attach it again when you send the form."
        ) from failure


def token_for(pending: list[PendingUpload]) -> str:
    return signing.dumps([str(p.pk) for p in pending], salt=_SALT) if pending else ""


def from_token(token: str, *, dropped: list[str] = ()) -> list[PendingUpload]:
    """The kept files a form's token names, in their order, less those the person dropped."""
    if not token:
        return []
    try:
        ids = signing.loads(token, salt=_SALT, max_age=max_age())
    except signing.BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    wanted = [i for i in ids if isinstance(i, str) and i not in set(dropped)]
    found = {str(p.pk): p for p in PendingUpload.objects.filter(pk__in=wanted)}
    return [found[i] for i in wanted if i in found]


def purge_abandoned(now=None) -> int:
    """Delete kept files whose forms were never sent again; return how many."""
    cutoff = (now or timezone.now()) - max_age()
    count = 0
    for pending in PendingUpload.objects.filter(created_at__lt=cutoff).iterator():
        pending.file.delete(save=False)
        pending.delete()
        count += 1
    return count
