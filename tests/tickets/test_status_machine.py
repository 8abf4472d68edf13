"""The status machine: the moves that exist, and what an end user's reply does."""

import pytest

from tickets.status import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Status,
    TransitionRefused,
    check_transition,
    next_status_after_user_reply,
    portal_label,
)


def test_open_and_awaiting_user_are_open_resolved_and_closed_are_closed():
    assert {Status.OPEN, Status.AWAITING_USER} == OPEN_STATUSES
    assert {Status.RESOLVED, Status.CLOSED} == CLOSED_STATUSES


@pytest.mark.parametrize("status", [Status.OPEN, Status.AWAITING_USER])
def test_a_user_reply_to_an_open_ticket_leaves_it_open(status):
    outcome = next_status_after_user_reply(status, within_reopen_window=False)

    assert outcome.status == Status.OPEN
    assert outcome.reopened is False


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_a_user_reply_to_a_closed_ticket_reopens_it_within_the_window(status):
    outcome = next_status_after_user_reply(status, within_reopen_window=True)

    assert outcome.status == Status.OPEN
    assert outcome.reopened is True


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_a_user_reply_after_the_window_is_refused(status):
    with pytest.raises(TransitionRefused, match="open a new ticket"):
        next_status_after_user_reply(status, within_reopen_window=False)


def test_resolving_needs_the_close_permission():
    assert check_transition(Status.OPEN, Status.RESOLVED) == "close"
    assert check_transition(Status.AWAITING_USER, Status.RESOLVED) == "close"


def test_a_move_to_the_same_status_is_refused_clearly():
    with pytest.raises(TransitionRefused, match="already open"):
        check_transition(Status.OPEN, Status.OPEN)


def test_a_closed_ticket_cannot_become_resolved_again():
    with pytest.raises(TransitionRefused, match="cannot go from closed to resolved"):
        check_transition(Status.CLOSED, Status.RESOLVED)


def test_an_unknown_status_is_an_error():
    with pytest.raises(ValueError):
        check_transition("open", "deleted")


def test_the_portal_labels_speak_to_the_user():
    assert portal_label("awaiting_user") == "Awaiting your reply"
    assert portal_label("resolved") == "Resolved"
