"""Aggregates the reports need that Django lacks: a percentile, computed in the database.

PostgreSQL has it (`percentile_cont`, an ordered-set aggregate); SQLite does not, so
`register_sqlite_functions` gives each SQLite connection an aggregate of the same name and
the same definition (linear interpolation between the two nearest values, nulls ignored), and
the two databases answer alike.
"""

import math

from django.db.models import Aggregate, FloatField


class Percentile(Aggregate):
    """The `fraction` percentile (0.5 is the median) of an expression's values in a group,
    interpolated as PostgreSQL's percentile_cont does. Its type is the expression's."""

    function = "percentile_cont"
    name = "Percentile"
    allow_distinct = False
    empty_result_set_value = None

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction is between 0 and 1.")
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                f"%(function)s({self.fraction!r}) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
            ),
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"%(function)s(%(expressions)s, {self.fraction!r})%(filter)s",
            **extra_context,
        )

    def _resolve_output_field(self):
        source = self.get_source_fields()[0]
        return source if source is not None else FloatField()

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, (*args, self.fraction), kwargs


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """The percentile of these values by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


class _SQLitePercentile:
    """SQLite's side of Percentile: collects a group's values, answers at the end."""

    def __init__(self):
        self.values = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        result = percentile_cont(self.values, self.fraction)
        if result is None:
            return None
        # Durations are whole microseconds there, as PostgreSQL's intervals are.
        return round(result) if all(isinstance(v, int) for v in self.values) else result


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: teach a new SQLite connection `percentile_cont`."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("percentile_cont", 2, _SQLitePercentile)
