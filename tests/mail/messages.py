"""Small messages written inline, for behaviours no corpus message needs to show."""

HEADERS = {
    "From": "Ana Costa <ana.costa@example.com>",
    "To": "support@helpdesk.example",
    "Subject": "Help",
    "Date": "Mon, 2 Mar 2026 09:00:00 +0000",
    "Message-ID": "<inline-test@example.com>",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=utf-8",
}


def message(body: str | bytes = "", **headers: str | None) -> bytes:
    """A message with realistic headers; keyword arguments replace (None removes) them.

    Keywords use underscores for dashes: Content_Type="text/html", Auto_Submitted="no".
    """
    fields = dict(HEADERS)
    for name, value in headers.items():
        name = name.replace("_", "-")
        fields.pop(next((k for k in fields if k.lower() == name.lower()), name), None)
        if value is not None:
            fields[name] = value
    head = "".join(f"{name}: {value}\n" for name, value in fields.items()).encode("utf-8")
    return head + b"\n" + (body.encode("utf-8") if isinstance(body, str) else body)
