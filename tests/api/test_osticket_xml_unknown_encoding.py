"""An XML body whose declaration names an encoding Python does not know is a 400 naming
it, not a 500 (expat raised LookupError, which nothing caught)."""

import pytest

from tests.api.conftest import post, text_of
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["x-nonsense", "utf-99", "a\tb"])
def test_an_unknown_xml_encoding_is_a_400_that_names_it(client, ticket_key, encoding):
    body = f"<?xml version='1.0' encoding='{encoding}'?><ticket/>"

    response = post(client, "/api/tickets.xml", body, ticket_key, content_type="text/xml")

    assert response.status_code == 400
    assert text_of(response).startswith("Invalid XML:")
    assert not Ticket.objects.exists()
