"""What the outbox tells the apps that queued mail.

- `mail_sent(sender, mail)`: the mail server accepted this message. Sent in the transaction
  that records it, so a receiver's writes (an SLA alert marked delivered) commit with it.
  `mail.tag` says what the message was for.
"""

from django.dispatch import Signal

mail_sent = Signal()
