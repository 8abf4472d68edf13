"""No CSV export hands a spreadsheet a formula (OWASP's CSV injection): a text cell that
starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, in every
table, whoever typed it (a requester's subject, an admin's names). Numbers the app writes
itself (hours, rates, counts) stay numbers, negative ones included: a float is not text a
spreadsheet can read as a formula, and quoting it would break sums."""

import csv
import io

import pytest

from tickets import dashboard

pytestmark = pytest.mark.django_db

FORTNIGHT = {"period": "range", "start": "2018-12-17", "end": "2018-12-30"}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("start", DANGEROUS)
def test_no_cell_of_any_export_starts_a_formula(client, helpdesk_story, start):
    story = helpdesk_story
    payload = f'{start}HYPERLINK("http://evil.example/","Click")'
    story.c.subject = payload
    story.c.save()
    story.john.user.full_name = f"{start}cmd|' /C calc'!A0"
    story.john.user.save()
    story.c.department.name = f"{start}1+1 Support"
    story.c.department.save()
    story.c.help_topic.name = f"{start}SUM(A1:A9)"
    story.c.help_topic.save()
    client.force_login(story.john.user)

    seen = []
    for slug in ["tickets", *dashboard.TABLES]:
        response = client.get(f"/scp/dashboard/csv/{slug}/", FORTNIGHT)
        assert response.status_code == 200, slug
        for row in read_csv(response):
            for cell in row:
                seen.append(cell)
                if cell[:1] in DANGEROUS:
                    assert _is_number(cell), (slug, cell)

    assert "'" + payload in seen
    assert f"'{start}1+1 Support" in seen
    assert f"'{start}SUM(A1:A9)" in seen


def test_numbers_the_app_writes_stay_numbers():
    lines = list(dashboard.csv_lines(["Hours", "Name"], [[-1.5, "-1.5"], [0, "@x"]]))

    assert lines[1] == "-1.5,'-1.5\r\n"
    assert lines[2] == "0,'@x\r\n"
