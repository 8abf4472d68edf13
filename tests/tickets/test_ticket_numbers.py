"""Ticket numbers: six random digits, unique, and not sequential."""

import itertools
import re

import pytest

from tests import factories
from tickets import services
from tickets.services import intake, new_ticket_number


def open_one(topic, n):
    ticket, created = services.open_ticket(
        email=f"person{n}@example.com",
        full_name="P",
        help_topic=topic,
        subject=f"Ticket {n}",
        body="Details",
    )
    assert created
    return ticket


def test_numbers_have_six_digits_without_a_leading_zero(db):
    numbers = [new_ticket_number() for _ in range(2000)]

    assert all(re.fullmatch(r"[1-9]\d{5}", n) for n in numbers)


def test_the_digit_count_is_a_setting(settings):
    settings.HELPDESK_TICKET_NUMBER_DIGITS = 8

    assert re.fullmatch(r"[1-9]\d{7}", new_ticket_number())


def test_tickets_get_unique_numbers_that_are_not_sequential(outage_topic):
    numbers = [int(open_one(outage_topic, n).number) for n in range(40)]

    assert len(set(numbers)) == 40
    steps = {b - a for a, b in itertools.pairwise(numbers)}
    assert len(steps) > 30, "consecutive tickets must not be a fixed step apart"
    assert numbers != sorted(numbers)


def test_a_number_already_taken_is_drawn_again(outage_topic, monkeypatch):
    taken = factories.TicketFactory(number="123456")
    draws = iter(["123456", "123456", "654321"])
    monkeypatch.setattr(intake, "new_ticket_number", lambda: next(draws))

    ticket = open_one(outage_topic, 1)

    assert ticket.number == "654321"
    assert taken.number == "123456"


def test_when_no_number_is_free_the_user_is_told_to_try_again(outage_topic, monkeypatch):
    factories.TicketFactory(number="123456")
    monkeypatch.setattr(intake, "new_ticket_number", lambda: "123456")

    with pytest.raises(services.TicketError, match="try again"):
        open_one(outage_topic, 1)
