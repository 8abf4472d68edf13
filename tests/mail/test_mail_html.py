"""HTML from mail: what a reader sees, as plain text, and what is safe to show agents."""

import time

import pytest

from tickets.mail.html import (
    MAX_NESTING,
    html_to_text,
    sanitise_html,
    too_deeply_nested,
)


def test_paragraphs_breaks_and_list_items_become_lines():
    markup = (
        "<p>First paragraph<br>same paragraph</p><p>Second</p><ul><li>one</li><li>two</li></ul>"
    )

    assert html_to_text(markup) == "First paragraph\nsame paragraph\n\nSecond\n\n- one\n- two"


def test_ordered_lists_are_numbered_from_their_start():
    assert html_to_text('<ol start="3"><li>a</li><li>b</li></ol>') == "3. a\n4. b"


def test_links_keep_their_address_after_the_text():
    markup = (
        '<p>See <a href="https://example.com/kb/42">the article</a> and '
        '<a href="mailto:it@example.com">it@example.com</a>.</p>'
    )

    assert html_to_text(markup) == (
        "See the article (https://example.com/kb/42) and it@example.com."
    )


def test_javascript_links_lose_their_address_in_text():
    assert html_to_text('<a href="javascript:alert(1)">click</a>') == "click"


def test_script_style_and_title_content_is_dropped_and_entities_decoded():
    markup = (
        "<html><head><title>Subject</title><style>p {color: red}</style></head>"
        "<body><script>alert('x')</script>"
        "<p>Fish &amp; chips&nbsp;for&#160;2 &lt;3</p></body></html>"
    )

    assert html_to_text(markup) == "Fish & chips for 2 <3"


def test_embedded_objects_show_nothing_and_hide_nothing_after_them():
    markup = "<p>before <embed src=movie.swf> after</p><object data=x>fallback</object><p>more</p>"

    assert html_to_text(markup) == "before after\n\nmore"


def test_whitespace_is_collapsed_outside_pre_and_kept_inside():
    markup = "<p>  lots   of\n\n  space </p><pre>  indented\n    code</pre>"

    assert html_to_text(markup) == "lots of space\n\n  indented\n    code"


def test_blockquotes_are_quoted_like_plain_text_mail():
    markup = (
        "<div>Thanks!</div><div>On Monday, Sam wrote:</div>"
        "<blockquote><p>Try again</p><p>Sam</p></blockquote>"
    )

    assert html_to_text(markup) == "Thanks!\nOn Monday, Sam wrote:\n\n> Try again\n\n> Sam"


def test_table_cells_are_separated_and_rows_are_lines():
    markup = "<table><tr><td>Name</td><td>Room</td></tr><tr><td>Ana</td><td>201</td></tr></table>"

    assert html_to_text(markup) == "Name Room\nAna 201"


def test_markup_the_standard_parser_chokes_on_still_gives_its_text():
    # html.parser raises AssertionError on an unknown marked section.
    markup = "<![foo[x]]><p>Hello <script>bad()</script>world</p>"

    assert html_to_text(markup) == "Hello world"


def test_the_sanitiser_removes_scripts_handlers_and_dangerous_urls():
    markup = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a>'
        '<img src="cid:logo@example.com" onerror="alert(2)"><img src="/staff/delete">'
        '<iframe src="https://evil.example/">fallback</iframe><script>alert(3)</script></p>'
    )

    clean = sanitise_html(markup)

    for gone in (
        "onclick",
        "javascript:",
        "onerror",
        "/staff/delete",
        "iframe",
        "fallback",
        "alert",
    ):
        assert gone not in clean
    assert 'src="cid:logo@example.com"' in clean
    assert clean.startswith("<p>Hi <a")


def test_markup_nested_too_deeply_is_sanitised_as_text_in_bounded_time():
    markup = "<div>" * (MAX_NESTING * 5) + "deep <script>alert(1)</script>text"
    started = time.perf_counter()

    clean = sanitise_html(markup)

    assert too_deeply_nested(markup)
    assert clean == "<div>deep text</div>"
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "markup",
    [
        "<p>x</p>" * (MAX_NESTING * 2),
        "<br>" * (MAX_NESTING * 2),
        "<div>x</div>" * (MAX_NESTING * 2),
    ],
    ids=["closed-paragraphs", "line-breaks", "closed-divs"],
)
def test_long_but_flat_markup_is_not_taken_for_deep_nesting(markup):
    assert not too_deeply_nested(markup)
