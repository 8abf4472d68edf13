import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tickets.attachments import IMAGE_EXTENSIONS
from tickets.permissions import visibility_filter
from tickets.status import CLOSED_STATUSES, OPEN_STATUSES, Status


def current_time():
    """timezone.now, looked up at each call (a test that stops the clock patches it)."""
    return timezone.now()


class Priority(models.IntegerChoices):
    # Integers so that "sort by priority" is a plain index scan.
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    EMERGENCY = 4, "Emergency"


class Source(models.TextChoices):
    WEB = "web", "Web"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    API = "api", "API"
    WALK_IN = "walk_in", "Walk-in"
    CHAT = "chat", "Chat"
    OTHER = "other", "Other"


class Department(models.Model):
    """Owns tickets; agents reach tickets through their access to departments."""

    name = models.CharField(max_length=64)
    sla_plan = models.ForeignKey(
        "sla.SLAPlan",
        verbose_name="default SLA plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    manager = models.ForeignKey(
        "accounts.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_departments",
    )
    is_public = models.BooleanField("public", default=True)
    is_active = models.BooleanField("active", default=True)
    assign_on_reply = models.BooleanField(
        "assign to the first agent who replies",
        default=True,
        help_text="An agent who replies to an unassigned ticket becomes its assignee.",
    )
    weekly_summary = models.BooleanField("Email the manager a weekly summary", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tickets_department_name_ci_unique",
                violation_error_message="A department with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class HelpTopicQuerySet(models.QuerySet):
    def offered(self):
        """Topics an end user may choose on the portal's form."""
        return self.filter(is_public=True, is_active=True)


class HelpTopic(models.Model):
    """What the end user picks on the form; it routes and prioritises the new ticket."""

    name = models.CharField(max_length=128)
    is_public = models.BooleanField("public", default=True)
    is_active = models.BooleanField("active", default=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="topics")
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.NORMAL)
    sla_plan = models.ForeignKey(
        "sla.SLAPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    auto_assign_agent = models.ForeignKey(
        "accounts.Agent",
        verbose_name="auto-assign to agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    auto_assign_team = models.ForeignKey(
        "accounts.Team",
        verbose_name="auto-assign to team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    survey_enabled = models.BooleanField("Ask for a rating when resolved", default=True)

    objects = HelpTopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tickets_helptopic_name_ci_unique",
                violation_error_message="A help topic with this name already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(auto_assign_agent__isnull=True)
                | models.Q(auto_assign_team__isnull=True),
                name="tickets_helptopic_one_auto_assignee",
            ),
        ]

    def __str__(self):
        return self.name


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def requested_by(self, user):
        return self.filter(requester=user)

    def followed_by(self, user):
        """The tickets this end user requested or collaborates on."""
        return self.filter(
            models.Q(requester=user)
            | models.Q(pk__in=Collaborator.objects.filter(user=user).values("ticket"))
        )

    def visible_to(self, agent):
        """The tickets this agent may see (see tickets.permissions for the rules)."""
        return self.filter(visibility_filter(agent))


class Ticket(models.Model):
    number = models.CharField(max_length=12, unique=True, editable=False)
    subject = models.CharField(max_length=255)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets"
    )
    # What the form said of the requester. Kept here, never written into an existing
    # account: anyone can type anybody's address (accounts.services.find_or_create_end_user).
    given_name = models.CharField("name given on this ticket", max_length=150, blank=True)
    given_phone = models.CharField("phone given on this ticket", max_length=40, blank=True)
    source = models.CharField(max_length=16, choices=Source, default=Source.WEB)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tickets")
    help_topic = models.ForeignKey(
        HelpTopic, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.NORMAL)
    sla_plan = models.ForeignKey(
        "sla.SLAPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    assignee = models.ForeignKey(
        "accounts.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.OPEN)
    is_overdue = models.BooleanField(default=False)
    is_answered = models.BooleanField(default=False)
    # The SLA (tickets.timing keeps these): due times from the plan, counted in working time of
    # its schedule from created_at, moved later by the working time spent awaiting the user.
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    # An agent's own resolution due time; wins over the plan's while set.
    due_override_at = models.DateTimeField("manual due time", null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    first_response_on_time = models.BooleanField(null=True, blank=True)
    # How long the target took, counted as the SLA clock counts: working time of the plan's
    # schedule from creation, less the working time spent awaiting the user. Stored when the
    # target is met, so that reports add up durations instead of running the clock per
    # ticket; empty without a plan, or when the clock could not count it.
    first_response_work = models.DurationField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_on_time = models.BooleanField(null=True, blank=True)
    resolution_work = models.DurationField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # Working time already spent awaiting the user, and since when it is paused now.
    sla_paused_work = models.DurationField(default=timedelta(0))
    sla_paused_since = models.DateTimeField(null=True, blank=True)
    # The next warning the sweep owes (None: none), and which targets were warned about.
    sla_warn_at = models.DateTimeField(null=True, blank=True)
    first_response_warned = models.BooleanField(default=False)
    resolution_warned = models.BooleanField(default=False)
    # Set before the insert (not auto_now_add) so that the due times counted from it are
    # written by the same insert.
    created_at = models.DateTimeField(default=current_time, editable=False)
    # "Last update" in the queues: moves with every thread entry and field change.
    updated_at = models.DateTimeField(auto_now=True)
    # The portal form's one-time key: a double click on "Create Ticket" finds the ticket
    # the first click made instead of making a second one.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Grows with every change an agent or user makes; a form carries the revision it was
    # loaded at, and a change made meanwhile refuses it (two agents never silently clash).
    revision = models.PositiveIntegerField(default=0, editable=False)
    # Every portal link to the ticket carries the generation it was made in; revoking the
    # links moves this on, and links of an earlier generation open nothing (tickets.access).
    link_generation = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "submission_key",
            "revision",
            # Recorded as a "links revoked" event instead.
            "link_generation",
            # The SLA's bookkeeping: the due times it leads to are kept.
            "sla_paused_work",
            "sla_paused_since",
            "sla_warn_at",
            "first_response_warned",
            "resolution_warned",
        ]
    )
    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            # The staff queues: by status, then department or assignee, newest activity first.
            models.Index(fields=["status", "-updated_at"], name="ticket_status_updated"),
            models.Index(
                fields=["department", "status", "-updated_at"], name="ticket_dept_status_upd"
            ),
            models.Index(
                fields=["assignee", "status", "-updated_at"], name="ticket_assignee_status_upd"
            ),
            models.Index(fields=["team", "status", "-updated_at"], name="ticket_team_status_upd"),
            # The sorts (tickets.queues.COLUMNS), each key with the id that breaks its ties,
            # so that a page is read in index order whichever way round; what the Closed
            # queue (most tickets) needs. Sorts by a related name join and sort instead.
            models.Index(fields=["updated_at", "id"], name="ticket_updated_id"),
            models.Index(fields=["priority", "id"], name="ticket_priority_id"),
            models.Index(fields=["subject", "id"], name="ticket_subject_id"),
            # "Due" descending keeps tickets with no due time last; its index says NULLS LAST,
            # which SQLite's indexes cannot, so it is made for PostgreSQL only (migration 0002).
            models.Index(fields=["resolution_due_at", "id"], name="ticket_due_id"),
            # Filters of the queues, each led by status as every queue filters on it.
            models.Index(fields=["status", "priority"], name="ticket_status_priority"),
            models.Index(fields=["status", "help_topic"], name="ticket_status_topic"),
            models.Index(fields=["status", "source"], name="ticket_status_source"),
            models.Index(fields=["status", "resolution_due_at"], name="ticket_status_due"),
            models.Index(fields=["status", "is_overdue"], name="ticket_status_overdue"),
            models.Index(fields=["status", "is_answered"], name="ticket_status_answered"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_created"),
            # The open tabs' counts (tickets.queues.capped_counts): every column their
            # conditions and the visibility rule read, for open tickets alone, so that each
            # count is an index-only scan that stops at its cap. Without it the Open and
            # Overdue counts built bitmaps of every open ticket first (60 ms a page at a
            # million tickets; 10 ms with it). Priority last, the queues' commonest filter:
            # without it a tab narrowed to one priority read the priority index's every
            # ticket, open or not (200,000 at a million tickets), to keep the open ones.
            models.Index(
                fields=["is_answered", "is_overdue", "department", "assignee", "team", "priority"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="ticket_open_counts",
            ),
            # The SLA sweep: what is not yet overdue, by due time; what has a warning owed.
            models.Index(
                fields=["is_overdue", "resolution_due_at"], name="ticket_sweep_resolution"
            ),
            models.Index(
                fields=["is_overdue", "first_response_due_at"], name="ticket_sweep_first_resp"
            ),
            models.Index(fields=["sla_warn_at"], name="ticket_sla_warn_at"),
            # The dashboard (tickets.reports): what was created, first answered and resolved
            # in a period, a few weeks out of years of tickets.
            models.Index(fields=["created_at"], name="ticket_created_at"),
            models.Index(fields=["first_responded_at"], name="ticket_first_responded_at"),
            models.Index(fields=["resolved_at"], name="ticket_resolved_at"),
        ]

    def __str__(self):
        return f"#{self.number} {self.subject}"

    @property
    def display_number(self) -> str:
        return f"#{self.number}"

    @property
    def given_details(self) -> list[tuple[str, str]]:
        """What the form gave that the requester's profile does not say: (label, value)."""
        profile = {"Name": self.requester.full_name, "Phone": self.requester.phone}
        given = {"Name": self.given_name.strip(), "Phone": self.given_phone.strip()}
        return [
            (label, value) for label, value in given.items() if value and value != profile[label]
        ]


class ThreadEntryQuerySet(models.QuerySet):
    def visible_to_end_user(self):
        """Messages and responses; internal notes never leave the staff side."""
        return self.exclude(kind=ThreadEntry.Kind.NOTE)


class ThreadEntry(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        RESPONSE = "response", "Response"
        NOTE = "note", "Internal note"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="thread")
    kind = models.CharField(max_length=16, choices=Kind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thread_entries",
    )
    # The name shown beside the entry, kept even if the author's account goes away.
    author_name = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # As on Ticket: a double click on "Post Reply" adds one entry, not two.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The Message-ID (without <>) of the mail this entry came in as, or went out as: replies
    # name it in In-Reply-To and References, which is how they find their ticket.
    message_id = models.CharField(max_length=255, blank=True, db_index=True)

    objects = ThreadEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "thread entries"
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="thread_ticket_created"),
            # The dashboard: the responses of a period, per agent.
            models.Index(fields=["kind", "created_at"], name="thread_kind_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on #{self.ticket.number}"


class Collaborator(models.Model):
    """Somebody besides the requester who follows a ticket: copied on its mail, and may
    reply to it (by mail or through their own portal link)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborations"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="collaborator_once")]

    def __str__(self):
        return f"{self.user} on #{self.ticket.number}"


class Event(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        ASSIGNED = "assigned", "Assigned"
        TRANSFERRED = "transferred", "Transferred"
        PRIORITY_CHANGED = "priority_changed", "Priority changed"
        SLA_CHANGED = "sla_changed", "SLA plan changed"
        TOPIC_CHANGED = "topic_changed", "Help topic changed"
        STATUS_CHANGED = "status_changed", "Status changed"
        OVERDUE = "overdue", "Marked overdue"
        DUE_CHANGED = "due_changed", "Due time set by hand"
        REOPENED = "reopened", "Reopened"
        MERGED = "merged", "Merged"
        RATED = "rated", "Rated"
        LINKS_REVOKED = "links_revoked", "Access links revoked"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created"),
            # The dashboard: status changes, reopens and overdues of a period.
            models.Index(fields=["kind", "created_at"], name="event_kind_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on #{self.ticket.number}"


class SatisfactionRating(models.Model):
    """The requester's answer to "How did we do?" for one resolution of a ticket: the
    resolution's time is the round, so a ticket reopened and resolved again asks again."""

    class Rating(models.TextChoices):
        GOOD = "good", "Good"
        BAD = "bad", "Bad"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ratings")
    resolved_at = models.DateTimeField()
    rating = models.CharField(max_length=8, choices=Rating)
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # When a Bad was followed up (note, alert, maybe reopen): once a round, however often
    # the rating is changed back and forth.
    bad_followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-resolved_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "resolved_at"], name="rating_once_a_round")
        ]

    def __str__(self):
        return f"{self.get_rating_display()} on #{self.ticket.number}"

    @property
    def is_good(self) -> bool:
        return self.rating == self.Rating.GOOD


class WeeklySummary(models.Model):
    """A department's weekly summary was queued for its manager: one per department and week,
    so two workers, or a run repeated within the hour, never send it twice."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="weekly_summaries"
    )
    # The Monday the week began, in the manager's time zone.
    week_start = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-week_start", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "week_start"], name="weekly_summary_once_a_week"
            )
        ]

    def __str__(self):
        return f"{self.department} week of {self.week_start:%-d %b %Y}"


def attachment_path(instance, filename):
    # Stored under a random name: the original is kept in `filename`, never trusted as a path.
    return f"attachments/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    entry = models.ForeignKey(ThreadEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.filename

    @property
    def extension(self) -> str:
        return PurePath(self.filename).suffix.lower().lstrip(".")

    @property
    def is_image(self) -> bool:
        """Whether its name says image; tickets.thumbnails decides whether it really is one."""
        return self.extension in IMAGE_EXTENSIONS


class PendingUpload(models.Model):
    """A file sent with a form that was refused for another reason.

    Browsers cannot refill a file input, so the file is kept here and offered back with
    the re-rendered form; it becomes an Attachment when the form goes through. Rows left
    behind by abandoned forms are deleted by the worker (tickets.tasks) and by
    `purge_pending_uploads`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    # Who sent it, for the budgets of tickets.uploads: a browser session and an address.
    session_key = models.CharField(max_length=64, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="pending_upload_created"),
            models.Index(fields=["session_key"], name="pending_upload_session"),
            models.Index(fields=["client_address"], name="pending_upload_address"),
        ]

    def __str__(self):
        return self.filename


class CannedResponseQuerySet(models.QuerySet):
    def usable_in(self, department):
        """Active responses for this department, and the global ones."""
        return self.filter(is_active=True).filter(
            models.Q(department__isnull=True) | models.Q(department=department)
        )


class CannedResponse(models.Model):
    """A prepared reply an agent can insert into the Response box."""

    title = models.CharField(max_length=128)
    body = models.TextField()
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_responses",
        help_text="Leave empty to offer it in every department.",
    )
    is_active = models.BooleanField("active", default=True)

    objects = CannedResponseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class SavedQueue(models.Model):
    """An agent's own queue: a tab's filters, search and sort kept under a name.

    `query` is what the queue page's address carried (tickets.queues.QueueParams.as_query),
    read back through the filter form: a filter that no longer fits (a department gone)
    is ignored with a note, as it would be in an address.
    """

    agent = models.ForeignKey(
        "accounts.Agent", on_delete=models.CASCADE, related_name="saved_queues"
    )
    name = models.CharField(max_length=60)
    queue = models.CharField(max_length=20)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                "agent", Lower("name"), name="saved_queue_name_unique_per_agent"
            )
        ]

    def __str__(self):
        return self.name


class KeptFigures(models.Model):
    """A dashboard's figures for one scope (the tickets and days: tickets.reports._key), as
    last worked out, so that a page reads them in one query instead of aggregating a
    million tickets while a person waits; the background worker works them out when a page
    could not (tickets.dashboard.work_out_figures).

    `figures` holds the report's worked-out values as tickets.reports writes them in JSON.
    A row without figures is a scope being worked out (`asked_at`), or one that took too
    long (`too_slow`)."""

    key = models.CharField(max_length=80, unique=True)
    figures = models.JSONField(null=True)
    as_of = models.DateTimeField(null=True)
    took = models.FloatField(null=True)  # seconds it took to work them out
    too_slow = models.BooleanField(default=False)
    asked_at = models.DateTimeField(null=True)  # when it was last left to the worker

    def __str__(self):
        return self.key


class TicketPresence(models.Model):
    """Who has a ticket open right now, and whether they are writing a reply.

    Refreshed by the ticket page while it is open; rows older than a minute are stale.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="presence")
    agent = models.ForeignKey("accounts.Agent", on_delete=models.CASCADE, related_name="+")
    is_replying = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "agent"], name="presence_ticket_agent")
        ]
        indexes = [models.Index(fields=["ticket", "seen_at"], name="presence_ticket_seen")]

    def __str__(self):
        return f"{self.agent} on #{self.ticket.number}"


class SLAAlert(models.Model):
    """Somebody must be told about a ticket's SLA: recorded by the sweep, delivered by mail.

    One row per recipient; `delivered_at` stays empty until mail has gone out.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", "SLA warning"
        OVERDUE = "overdue", "Overdue"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=Kind)
    # Which target: "first_response" or "resolution".
    target = models.CharField(max_length=16)
    recipient = models.ForeignKey(
        "accounts.Agent", on_delete=models.CASCADE, related_name="sla_alerts"
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SLA alert"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["delivered_at", "created_at"], name="alert_undelivered")]

    def __str__(self):
        return f"{self.get_kind_display()} of #{self.ticket.number} for {self.recipient}"


class Mailbox(models.Model):
    """A mailbox the worker fetches new tickets and replies from (IMAP or POP3)."""

    class Protocol(models.TextChoices):
        IMAP = "imap", "IMAP"
        POP3 = "pop3", "POP3"

    class Security(models.TextChoices):
        SSL = "ssl", "TLS from the start (IMAPS 993, POP3S 995)"
        STARTTLS = "starttls", "STARTTLS (IMAP 143, POP3 110)"
        NONE = "none", "None (only on a trusted network)"

    class AfterImport(models.TextChoices):
        MARK_SEEN = "seen", "Mark it read and leave it"
        MOVE = "move", "Move it to another folder (IMAP)"
        DELETE = "delete", "Delete it from the server"

    name = models.CharField(max_length=64)
    address = models.EmailField(
        "email address",
        help_text="The address people write to. Mail from it is never turned into tickets.",
    )
    protocol = models.CharField(max_length=8, choices=Protocol, default=Protocol.IMAP)
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField()
    security = models.CharField(max_length=8, choices=Security, default=Security.SSL)
    username = models.CharField(max_length=254)
    password = models.CharField(max_length=254)
    folder = models.CharField(max_length=128, default="INBOX")
    after_import = models.CharField(
        max_length=8, choices=AfterImport, default=AfterImport.MARK_SEEN
    )
    move_to = models.CharField("move to folder", max_length=128, blank=True)
    help_topic = models.ForeignKey(
        HelpTopic,
        on_delete=models.PROTECT,
        related_name="mailboxes",
        help_text="New tickets from this mailbox take this topic, and its department.",
    )
    is_active = models.BooleanField("active", default=True)
    # How the last fetches went, for the admin panel and for alerting the admins.
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures_in_row = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tickets_mailbox_name_ci_unique",
                violation_error_message="A mailbox with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


def raw_mail_path(instance, filename):
    # The raw message as it arrived, under a random name.
    return f"mail/{instance.received_at:%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundMail(models.Model):
    """One raw message as it arrived, stored (and committed) before anything reads it.

    Whatever becomes of it (a ticket, a reply, a held message, a bounce) is recorded here;
    a message that could not be read stays, with the error, to be processed again.
    """

    class Status(models.TextChoices):
        NEW = "new", "Not processed yet"
        IMPORTED = "imported", "Imported"
        IGNORED = "ignored", "Ignored"
        HELD = "held", "Held for review"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        PIPE = "pipe", "Piped (ingest_email)"
        IMAP = "imap", "IMAP"
        POP3 = "pop3", "POP3"
        API = "api", "API"

    raw = models.FileField(upload_to=raw_mail_path, max_length=255)
    size = models.PositiveBigIntegerField()
    # sha256 of the raw bytes: the same message again when it has no Message-ID.
    fingerprint = models.CharField(max_length=64)
    message_id = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=8, choices=Source)
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    received_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status, default=Status.NEW)
    # What became of it, in words: "New ticket", "Reply from the requester", why ignored.
    outcome = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_mail"
    )
    entry = models.ForeignKey(
        ThreadEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "incoming mail"
        verbose_name_plural = "incoming mail"
        constraints = [
            # The same message twice (two of our addresses in To, a fetch after a crash)
            # is one message.
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="inbound_once_per_message_id",
            ),
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(message_id=""),
                name="inbound_once_per_content",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="inbound_status_received"),
        ]

    def __str__(self):
        return self.subject or f"Message {self.pk}"
