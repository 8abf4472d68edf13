"""bench/data.py writes tickets with COPY, column by column from the model: a field added to
Ticket without a value in the generator stops `make bench` (it did once: link_generation).
The generator's tickets, made in memory, fill every concrete column of the model."""

import random
from datetime import UTC, datetime

from bench import data
from tickets.models import Ticket


def test_every_ticket_column_gets_a_value():
    rng = random.Random(data.SEED)  # noqa: S311 (the generator's own, for its data)
    departments = list(range(1, len(data.DEPARTMENT_WEIGHTS) + 1))
    cast = data.Cast(
        departments=departments,
        topics={d: [(2 * d, 1), (2 * d + 1, None)] for d in departments},
        plans=[1, 2, 3],
        department_plan={d: 1 + d % 3 for d in departments},
        agents={d: [(d, 100 + d), (50 + d, 150 + d)] for d in departments},
        teams=[1, 2],
        requesters=[201, 202, 203],
    )
    rows = data.Rows(data.Words(data.SEED))
    anchor = datetime(2026, 12, 1, 12, tzinfo=UTC)

    for pk in range(1, 401):
        data.make_ticket(rng, rows, pk, 1_000_000 + pk, cast, anchor)

    columns = [field.attname for field in Ticket._meta.concrete_fields]
    assert columns == data.Rows.TICKET
    assert len(rows.tickets) == 400
    assert {len(row) for row in rows.tickets} == {len(columns)}
    assert rows.entries and rows.events  # threads and histories came with them
