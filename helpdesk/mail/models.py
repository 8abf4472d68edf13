from django.db import models


class EmailTemplate(models.Model):
    """An administrator's wording of one notice (helpdesk.mail.notices), and whether it is sent."""

    key = models.CharField(max_length=64, unique=True, editable=False)
    subject = models.CharField(max_length=255)
    text_body = models.TextField("plain-text body")
    html_body = models.TextField("HTML body", blank=True)
    is_enabled = models.BooleanField(
        "send this notice",
        default=True,
        help_text="Untick to stop sending this notice; nothing else changes.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key


class OutgoingMail(models.Model):
    """One message as it was rendered when the change that caused it was saved.

    Written in that change's transaction, so a rolled-back change sends nothing; the worker
    sends it (helpdesk.mail.outbox), and it stays here with what became of it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    notice = models.CharField(max_length=64)
    # What the message is about, for people reading the list: "Ticket #123456".
    regarding = models.CharField(max_length=255, blank=True)
    # Who may be told when it is sent (helpdesk.mail.signals.mail_sent), e.g. "sla-alert:42".
    tag = models.CharField(max_length=64, blank=True)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The mail server's answer to the last attempt, or why it could not be reached.
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # "console" when it was only written to the worker's console (no mail server set up).
    sent_via = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_due"),
            models.Index(fields=["-created_at", "-id"], name="outgoing_newest"),
            # Rate limits count a person's recent messages by tag.
            models.Index(fields=["tag", "created_at"], name="outgoing_tag_created"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]


class BannedAddress(models.Model):
    """An address, or a whole domain ("@example.com"), that is never written to."""

    pattern = models.CharField(
        max_length=254,
        unique=True,
        help_text="An email address, or @domain for every address of a domain.",
    )
    reason = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        verbose_name_plural = "banned addresses"

    def __str__(self):
        return self.pattern
