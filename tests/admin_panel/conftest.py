"""The administrator of the admin panel tests."""

import pytest

from tests import factories


@pytest.fixture
def admin_agent(support, all_access):
    """An administrator: an agent of Support who may use the admin panel."""
    return factories.AgentFactory(
        user__email="ada@example.com",
        user__full_name="Ada Lovelace",
        is_admin=True,
        department=support,
        role=all_access,
    )


@pytest.fixture
def as_admin(client, admin_agent):
    """The test client, signed in as the administrator."""
    client.force_login(admin_agent.user)
    return client
