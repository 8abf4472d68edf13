"""A day chart keeps room on its left for its longest axis number: at a million tickets the
open backlog's "137678" was cut off at the chart's edge."""

from tickets import charts


def points(*values):
    return [(f"day {n}", str(n), value) for n, value in enumerate(values)]


def test_small_numbers_keep_the_usual_margin():
    chart = charts.column_chart("created", "Created", points(3, 12, 40))

    assert chart.left == charts.LEFT


def test_six_digit_numbers_get_room_and_the_bars_move_with_it():
    chart = charts.column_chart("open", "Open", points(127834, 131636, 137678))
    widest = max(len(str(value)) for _y, value in chart.scale)

    assert widest == 6
    assert chart.left >= 7 * widest  # the axis text ends 4 px before `left`, drawn right-aligned
    assert min(column.x for column in chart.columns) > chart.left
    assert max(column.x + column.width for column in chart.columns) <= chart.width
