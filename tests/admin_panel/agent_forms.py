"""What the agent form sends: the agent's fields and rows of extended access."""


def agent_form(*, access=(), initial_rows=0, **fields) -> dict:
    """POST data for the agent page; `access` is a list of (department, role) rows."""
    data = {
        "full_name": "Bob Stone",
        "email": "bob@example.com",
        "is_active": "on",
        "password1": "",
        "password2": "",
        "extended_access-TOTAL_FORMS": str(max(len(access), 2)),
        "extended_access-INITIAL_FORMS": str(initial_rows),
        "extended_access-MIN_NUM_FORMS": "0",
        "extended_access-MAX_NUM_FORMS": "1000",
    }
    for number, (department, role) in enumerate(access):
        data[f"extended_access-{number}-department"] = department.pk
        data[f"extended_access-{number}-role"] = role.pk
    for name, value in fields.items():
        if value is True:
            data[name] = "on"
        elif value is False:
            data.pop(name, None)
        else:
            data[name] = getattr(value, "pk", value)
    return data
