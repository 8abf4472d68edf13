"""osTicket's API, for the clients that already speak it: create tickets, run cron.

Monitoring systems, contact forms and mail pipes written for osTicket post to
/api/tickets.json, .xml or .email (or the same under /api/http.php/) and read the answer as
osTicket gives it: 201 with the ticket number as plain text, else a status and a one-line
reason. Mail pipes (osTicket's automail.pl/.php) turn the status into their exit code (201 →
0, 400 → 66, 401/403 → 77, 415 → 65, anything else → 75, "try again later"), so a request
that can never succeed must not answer 5xx: bad input is 400, never 500.

The format comes from the URL, never from Content-Type: osTicket's PHP sample posts its JSON
as a form, and the pipes post mail as text/plain. The body is read as sent, so Django's form
parsing and its upload size limit play no part; the API's own limit answers 413.
"""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from api import keys, osticket_request, services
from tickets.inbound import fetch, intake
from tickets.models import InboundMail
from tickets.services import TicketError
from tickets.sweep import sweep

FORMATS = ("json", "xml", "email")


def text(body: str, status: int, **headers) -> HttpResponse:
    """An answer as osTicket gives it: a plain-text line and a status."""
    response = HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _refused(refusal: keys.KeyRefused) -> HttpResponse:
    if refusal.retry_after is not None:
        return text(refusal.reason, refusal.status, Retry_After=str(refusal.retry_after))
    return text(refusal.reason, refusal.status)


def _post_only(request) -> HttpResponse | None:
    if request.method != "POST":
        return text("Only POST is allowed here.", 405, Allow="POST")
    return None


class TooLarge(Exception):
    pass


def read_body(request, limit: int) -> bytes:
    """The body as sent, at most `limit` bytes; TooLarge past it (counted, not trusted)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise TooLarge
    body = request.read(limit + 1)
    if len(body) > limit:
        raise TooLarge
    return body


@csrf_exempt
def create_ticket(request, format: str):
    """POST /api/tickets.<format>: a new ticket (or a raw mail's reply) from an API key
    allowed to create tickets."""
    wrong_method = _post_only(request)
    if wrong_method:
        return wrong_method
    format = format.lower()  # tickets.JSON is tickets.json, as for a file's extension
    if format not in FORMATS:
        return text(
            f"Unsupported format {format[:20]!r}: post to tickets.json, tickets.xml or "
            "tickets.email.",
            415,
        )
    try:
        key = keys.authenticate(request, keys.CREATE_TICKETS)
    except keys.KeyRefused as refusal:
        return _refused(refusal)
    limit = settings.HELPDESK_API_MAX_BODY_BYTES
    if format == "email":
        limit = min(limit, settings.HELPDESK_MAX_EMAIL_BYTES)
    try:
        body = read_body(request, limit)
    except TooLarge:
        return text(f"The body is over this helpdesk's limit of {limit:,} bytes.", 413)
    if format == "email":
        return _from_mail(body)
    return _from_fields(request, body, format, key)


def _from_fields(request, body: bytes, format: str, key) -> HttpResponse:
    read = osticket_request.from_json if format == "json" else osticket_request.from_xml
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > 255:
        return text("Idempotency-Key: at most 255 characters.", 400)
    try:
        ticket_request = read(body)
        ticket, _ = services.open_ticket_from_api(
            ticket_request, key=key, idempotency_key=idempotency_key
        )
    except osticket_request.BadRequest as bad:
        return text(str(bad), 400)
    except TicketError as refusal:
        return text(str(refusal), 409)
    return text(ticket.number, 201)


def _from_mail(raw: bytes) -> HttpResponse:
    """A raw message, through the path every received mail takes (tickets.inbound.intake).

    A mail pipe must not be told to try again what was kept, so every message that was kept
    answers 201: with the ticket's number when it made or joined one, else with what became
    of it (an auto-reply ignored, a stranger's reply held for review). Only what is not mail
    at all answers 400, which the pipe bounces.
    """
    if not raw.strip():
        return text("message: the body is empty; post the raw RFC 822 message.", 400)
    record = intake.receive(raw, source=InboundMail.Source.API)
    if record.status == InboundMail.Status.FAILED and record.outcome == "Not a mail message":
        return text("message: the body is not an RFC 822 mail message.", 400)
    if record.status == InboundMail.Status.IMPORTED and record.ticket_id:
        return text(record.ticket.number, 201)
    return text(f"Kept, no ticket: {record.outcome or record.get_status_display()}.", 201)


@csrf_exempt
def run_cron(request):
    """POST /api/tasks/cron: the SLA sweep and the mail fetch, once, for a key allowed to run
    cron (as osTicket's cron call does, for installs without the worker)."""
    wrong_method = _post_only(request)
    if wrong_method:
        return wrong_method
    try:
        keys.authenticate(request, keys.RUN_CRON)
    except keys.KeyRefused as refusal:
        return _refused(refusal)
    swept = sweep()
    lines = [f"SLA sweep: {swept.overdue} marked overdue, {swept.warned} warnings sent."]
    results = fetch.fetch_all()
    if not results:
        lines.append("Mail: no active mailboxes.")
    for result in results:
        how = f"failed: {result.error}" if result.error else f"{result.fetched} fetched"
        lines.append(f"Mail from {result.mailbox}: {how}.")
    return text("\n".join(lines), 200)
