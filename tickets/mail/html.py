"""HTML from inbound mail: sanitised for display, and flattened to plain text.

Standalone on purpose (standard library and nh3 only), like the rest of tickets.mail.
"""

import html
import re
from html.parser import HTMLParser

import nh3

# Dropped with everything inside them, not just unwrapped: code, style sheets, the page
# title and embedded documents are never part of what the sender wrote.
_SANITISER_DROPS = {
    "script",
    "style",
    "title",
    "template",
    "iframe",
    "object",
    "embed",
    "applet",
    "noembed",
    "noframes",
    "xmp",
}
# nh3's default schemes exclude javascript: and data:; cid: stays so inline images can be
# mapped to their attachments by Content-ID.
_URL_SCHEMES = nh3.ALLOWED_URL_SCHEMES | {"cid"}


def sanitise_html(markup: str) -> str:
    """The markup with only nh3's allow-listed tags and attributes left.

    Relative URLs are removed: in mail they point nowhere, except at our own site, where
    an image could make an agent's browser request a page of ours. Markup nested too
    deeply to sanitise in reasonable time comes back as its text.
    """
    if too_deeply_nested(markup):
        return plain_to_html(html_to_text(markup))
    return nh3.clean(
        scrub(markup),
        clean_content_tags=_SANITISER_DROPS,
        url_schemes=_URL_SCHEMES,
        url_relative="deny",
    ).strip()


# html5ever, under nh3, takes time in the square of the nesting depth: 20,000 unclosed
# <div>s take half a second, 200,000 over a minute. No real mail comes near this.
MAX_NESTING = 10_000
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")
_CLOSE_TAG = re.compile(r"</[A-Za-z]")
# Elements that never nest: void, or closed implicitly by the next of their kind.
_FLAT = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"),
    *("track", "wbr", "p", "li", "td", "th", "tr", "option", "dt", "dd"),
}


def too_deeply_nested(markup: str) -> bool:
    """Whether the markup may nest elements more than MAX_NESTING deep (an upper bound)."""
    if markup.count("<") <= MAX_NESTING:
        return False
    opened = sum(1 for m in _OPEN_TAG.finditer(markup) if m.group(1).lower() not in _FLAT)
    return opened - len(_CLOSE_TAG.findall(markup)) > MAX_NESTING


def plain_to_html(text: str) -> str:
    """Plain text as safe HTML that keeps its line breaks."""
    return "<div>" + html.escape(text).replace("\n", "<br>\n") + "</div>"


def scrub(text: str) -> str:
    """Text without NUL characters (PostgreSQL refuses them) or lone surrogates."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    # Lone surrogates come from utf-7 and surrogateescape; nh3 and databases refuse them.
    return text.encode("utf-8", "replace").decode("utf-8")


def html_to_text(markup: str) -> str:
    """What a reader of the HTML would see, as plain text.

    Paragraphs, line breaks, list items and table rows become line breaks; links keep
    their address as "text (url)"; blockquotes are quoted with "> " so quoted history
    can be recognised like in plain-text mail. Never raises: markup the standard
    parser chokes on is stripped of tags instead.
    """
    markup = scrub(markup)
    converter = _TextConverter()
    try:
        converter.feed(markup)
        converter.close()
        text = converter.text()
    except Exception:  # html.parser still asserts on some bogus markup
        text = _strip_tags(markup)
    return tidy_text(text)


def tidy_text(text: str) -> str:
    """Trailing spaces, runs of blank lines and leading/trailing blank lines removed."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# What the sanitiser drops with its content, but not <embed>: it is void, so waiting for
# its end tag would hide the rest of the message. Not <head> either, for the same reason
# (it is often left open); the text it holds is in these anyway.
_SKIPPED = _SANITISER_DROPS - {"embed"}
_BLOCKS = {
    "address",
    "article",
    "aside",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "li",
    "main",
    "nav",
    "section",
    "summary",
    "tbody",
    "thead",
    "tfoot",
    "tr",
}
# Blocks set off by a blank line rather than a single line break.
_PARAGRAPHS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "hr",
}
_CELLS = {"td", "th"}
_SHOWN_SCHEMES = ("http://", "https://", "ftp://", "mailto:")
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")


class _TextConverter(HTMLParser):
    """Writes text as it goes into a list of pieces (joined once, at the end)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._newlines = 0  # line breaks owed before the next text
        self._space = False  # a space owed before the next text on the same line
        self._line_start = True
        self._skipping: list[str] = []  # open tags whose content is not shown
        self._pre = 0
        self._quote = 0
        self._lists: list[int | None] = []  # None for <ul>, the next number for <ol>
        self._item_prefix = ""
        self._links: list[tuple[str, int]] = []  # (href, index of the link's first piece)

    def text(self) -> str:
        return "".join(self._pieces)

    # Line structure

    def _break(self, count: int) -> None:
        self._newlines = max(self._newlines, count)
        self._space = False

    def _write(self, text: str) -> None:
        if self._pieces and self._newlines:
            self._pieces.append("\n" * self._newlines)
            self._line_start = True
        self._newlines = 0
        if self._line_start:
            if self._quote:
                self._pieces.append("> " * self._quote)
            if self._item_prefix:
                self._pieces.append(self._item_prefix)
                self._item_prefix = ""
            self._line_start = False
        elif self._space:
            self._pieces.append(" ")
        self._space = False
        self._pieces.append(text)

    # Parser callbacks

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping.append(tag)
            return
        if self._skipping:
            return
        attrs = dict(attrs)
        if tag == "br":
            self._newlines += 1
            self._space = False
        elif tag in _CELLS:
            self._space = not self._line_start
        elif tag in ("ul", "ol"):
            self._break(1 if self._lists else 2)
            self._lists.append(None if tag == "ul" else _start_number(attrs))
        elif tag == "li":
            self._break(1)
            indent = "  " * max(len(self._lists) - 1, 0)
            number = self._lists[-1] if self._lists else None
            if number is None:
                self._item_prefix = indent + "- "
            else:
                self._item_prefix = f"{indent}{number}. "
                self._lists[-1] = number + 1
        elif tag in _PARAGRAPHS:
            self._break(2)
            if tag == "pre":
                self._pre += 1
            elif tag == "blockquote":
                self._quote += 1
        elif tag in _BLOCKS:
            self._break(1)
        elif tag == "a":
            self._links.append((attrs.get("href") or "", len(self._pieces)))
        elif tag == "img" and (attrs.get("alt") or "").strip():
            self.handle_data(f"[{attrs['alt'].strip()}]")

    def handle_endtag(self, tag):
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._item_prefix = ""
            self._break(1 if self._lists else 2)
        elif tag in _PARAGRAPHS:
            if tag == "pre":
                self._pre = max(self._pre - 1, 0)
            elif tag == "blockquote":
                self._quote = max(self._quote - 1, 0)
            self._break(2)
        elif tag in _BLOCKS:
            self._break(1)
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self._pieces[start:]).strip()
            if _shows_address(href, label):
                self._space = bool(label)
                self._write(f"({href.strip()})")

    def handle_data(self, data):
        if self._skipping or not data:
            return
        if self._pre:
            lines = data.replace("\r\n", "\n").split("\n")
            for number, line in enumerate(lines):
                if number:
                    self._newlines += 1
                if line:
                    self._write(line)
            return
        collapsed = _SPACES.sub(" ", data)
        if collapsed.startswith(" ") and not self._line_start:
            self._space = True
        words = collapsed.strip(" ")
        if words:
            self._write(words)
            self._space = collapsed.endswith(" ")


def _start_number(attrs: dict) -> int:
    try:
        return int(attrs.get("start") or 1)
    except ValueError:
        return 1


def _shows_address(href: str, label: str) -> bool:
    href = href.strip()
    if not href.lower().startswith(_SHOWN_SCHEMES):
        return False
    bare = href[len("mailto:") :] if href.lower().startswith("mailto:") else href
    return label.strip().rstrip("/").lower() not in (href.rstrip("/").lower(), bare.lower())


_DROPPED_START = re.compile(r"<(" + "|".join(sorted(_SANITISER_DROPS)) + r")\b", re.I)
_LINE_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")


def _strip_tags(markup: str) -> str:
    # One pass with str.find (no backtracking regex), so hostile markup stays linear.
    kept: list[str] = []
    lower = markup.lower()
    position = 0
    while (match := _DROPPED_START.search(markup, position)) is not None:
        kept.append(markup[position : match.start()])
        end = lower.find("</" + match.group(1).lower(), match.end())
        if end < 0:
            position = len(markup)
            break
        position = end
    kept.append(markup[position:])
    markup = _LINE_TAGS.sub("\n", "".join(kept))
    text = html.unescape(_ANY_TAG.sub("", markup))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
