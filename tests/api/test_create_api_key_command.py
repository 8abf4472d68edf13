"""`manage.py create_api_key`: a key for scripted set-ups, printed alone on the last line,
and a clear error for anything it cannot make."""

import io

import pytest
from django.core.management import CommandError, call_command

from api import keys
from api.models import ApiKey
from tests.api.conftest import post, text_of

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue()


def test_the_key_is_printed_alone_on_the_last_line_and_stored_hashed():
    output = run(
        "--name", "Nagios", "--ip", "192.0.2.7", "--ip", "2001:db8::/48", "--can-create-tickets"
    )

    plain = output.strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert keys.hash_key(plain) == key.key_hash
    assert len(plain) == 32 and plain.isalnum()
    assert key.name == "Nagios"
    assert key.allowed_networks == "192.0.2.7/32\n2001:db8::/48"
    assert (key.can_create_tickets, key.can_run_cron, key.can_read) == (True, False, False)


def test_the_printed_key_works_from_its_address_only(client, outage_topic):
    plain = run("--name", "Cron box", "--ip", "198.51.100.0/24", "--can-run-cron").split()[-1]

    assert post(client, "/api/tasks/cron", "", plain, address="198.51.100.9").status_code == 200
    refused = post(client, "/api/tasks/cron", "", plain, address="192.0.2.1")
    assert text_of(refused) == "This API key may not be used from 192.0.2.1."
    assert post(client, "/api/tickets.json", "{}", plain, address="198.51.100.9").status_code == 401


def test_a_reading_and_writing_key_acts_as_its_agent(john):
    run("--name", "Reports", "--agent", "JOHN@example.com", "--can-read", "--can-write")

    key = ApiKey.objects.get()
    assert (key.agent, key.can_read, key.can_write) == (john, True, True)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--ip", "192.0.2.0/33", "--can-run-cron"], "--ip: “192.0.2.0/33” is not an IP"),
        (["--ip", "intranet", "--can-run-cron"], "--ip: “intranet” is not an IP"),
        (["--agent", "nobody@example.com", "--can-read"], "--agent: no agent has the address"),
        (["--can-read"], "--can-read and --can-write act as an agent: add --agent EMAIL."),
        (["--can-write"], "add --agent EMAIL"),
        ([], "Give the key at least one permission"),
    ],
)
def test_bad_input_is_a_clear_error_and_makes_no_key(args, message):
    with pytest.raises(CommandError) as error:
        run("--name", "Bad", *args)

    assert message in str(error.value)
    assert not ApiKey.objects.exists()


def test_an_inactive_agent_is_refused(john):
    john.user.is_active = False
    john.user.save()

    with pytest.raises(CommandError, match="not an active agent"):
        run("--name", "Reports", "--agent", "john@example.com", "--can-read")
