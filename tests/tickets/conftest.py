"""Fixtures shared by the ticket tests."""

import pytest

from tests import factories


@pytest.fixture
def make(support, karen, inquiry_topic):
    """A ticket in Support from Karen, with whatever else the test says."""

    def make(**fields):
        fields.setdefault("requester", karen)
        fields.setdefault("help_topic", inquiry_topic)
        fields.setdefault("department", support)
        return factories.TicketFactory(**fields)

    return make
