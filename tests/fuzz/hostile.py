"""Hostile values, as Hypothesis strategies, for the fuzz tests.

Each value here has broken something somewhere: NUL bytes (PostgreSQL refuses them in text),
lone surrogates and bytes that are not UTF-8 (in a URL they arrive percent-encoded), integers
past what a 64-bit column holds, strings longer than any column, dates outside the calendar,
floats that are not numbers. They are mixed with ordinary values and the ids of real rows, so
a request gets past the first check and reaches the deeper ones.
"""

from urllib.parse import quote

from hypothesis import strategies as st

HUGE_NUMBERS = [
    "0",
    "-1",
    "-0",
    "1",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    str(10**30),
    "1e309",
    "1" * 400,
    "9" * 5000,  # past Python's 4,300-digit limit for int()
    "0x10",
    "١٢٣",  # Arabic-Indic digits: int() takes them, a column may not
    "１２３",  # full-width digits
    " 7 ",
    "+7",
]

FLOATS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e-400", "1.5", "-0.0", "1_000"]

DATES = [
    "0000-01-01",
    "0001-01-01",
    "-0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "99999-01-01",
    "2026-02-30",
    "2026-13-01",
    "1-1-1 BC",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    "2026-11-03T25:61",
    "1970-01-01",
    "today",
]

# Text that has tripped a database, a parser or a template.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\ufeff",
    "\u200b",
    "\u202e",
    "%00",
    "%",
    "%%",
    "%ZZ",
    "'",
    '"',
    "\\",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "🙂" * 50,
    "a" * 300,
    "a" * 100_000,
    "null",
    "None",
    "[]",
    "{}",
    "true",
    "-",
    ",",
]

SCALARS = NASTY_TEXT + HUGE_NUMBERS + FLOATS + DATES

# Percent-encoded bytes a URL may carry that are not UTF-8 text once decoded: a lone
# continuation byte, an over-long NUL, a surrogate, a truncated sequence, and a NUL.
RAW_ESCAPES = ["%FF", "%C0%80", "%ED%A0%80", "%E2%82", "%80", "%00", "%F4%90%80%80", "%C3%28"]


def text_values() -> st.SearchStrategy[str]:
    """A hostile or random string (which may hold NULs and surrogates)."""
    return st.one_of(
        st.sampled_from(SCALARS),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats().map(str),
    )


def url_segment(known: list[str]) -> st.SearchStrategy[str]:
    """A path segment, already percent-encoded: a real value, a hostile one, or raw bytes."""
    return st.one_of(
        st.sampled_from(known) if known else st.nothing(),
        text_values().map(lambda value: quote(value.encode("utf-8", "surrogatepass"), safe="")),
        st.lists(st.sampled_from([*RAW_ESCAPES, "a", "1", "-"]), min_size=1, max_size=6).map(
            "".join
        ),
    )


def query_value() -> st.SearchStrategy[str]:
    """A query-string value, percent-encoded, that may hold bytes that are not UTF-8."""
    return st.one_of(
        text_values().map(lambda value: quote(value.encode("utf-8", "surrogatepass"), safe="")),
        st.lists(st.sampled_from([*RAW_ESCAPES, "a", "1", "-", "2026"]), max_size=6).map("".join),
    )


def query_string(names: list[str]) -> st.SearchStrategy[str]:
    """A query string of known and unknown names, some repeated, some with `[]` appended or
    with no value at all."""
    name = st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(lambda n: n + "[]"),
        st.text(max_size=10).map(lambda n: quote(n.encode("utf-8", "surrogatepass"), safe="")),
        st.sampled_from(RAW_ESCAPES),
    )
    pair = st.one_of(
        st.tuples(name, query_value()).map(lambda p: f"{p[0]}={p[1]}"),
        name,  # a name with no `=` at all
    )
    return st.lists(pair, max_size=8).map("&".join)


def form_value(choices: list[str]) -> st.SearchStrategy:
    """A value for one form field: one of the field's own choices, a hostile string, a list
    where a single value is expected, or nothing."""
    own = st.sampled_from(choices) if choices else st.nothing()
    single = st.one_of(own, text_values())
    return st.one_of(single, st.lists(single, min_size=2, max_size=3), st.just(None))
