"""Email addresses as one person: every path that takes an address normalises it here.

Two addresses that look the same must be one user, and an address made to look like
another must not get in at all. So an address is:

- NFKC-normalised (full-width "ｊｏｈｎ" is "john") and stripped of surrounding space;
- refused if it holds an invisible or control character (zero-width space or joiner, byte
  order mark, bidi controls, soft hyphen: Unicode's format category Cf, and Cc), which would
  make a second address that prints like the first;
- refused if one part mixes alphabets (a Cyrillic "е" in a Latin word), the usual way to
  fake an address; whole words in one alphabet ("пример.com") are fine, and so are the mixes
  a language needs (Japanese kanji with kana, Korean hangul with hanja, each with Latin);
- stored with its domain in IDNA's ASCII form, lower case ("bücher.example" and
  "xn--bcher-kva.example" are one domain); the local part is kept as typed and matched
  without regard to case (User.objects.with_email).
"""

from __future__ import annotations

import unicodedata

import idna
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

INVISIBLE = (
    "This address contains an invisible character (such as a zero-width space or a text "
    "direction mark). Type the address again by hand rather than pasting it."
)
MIXED = (
    "This address mixes letters from different alphabets in one word (for example a Cyrillic "
    "“е” among Latin letters), which is how fake addresses are made. Check the address and "
    "type it again."
)
STAFF_ADDRESS = (
    "This address belongs to a member of our staff. Staff open tickets from the staff panel; "
    "if you are not on our staff, use your own email address."
)
MALFORMED = "Enter a valid email address."

# Mixes of scripts one language writes in one word (after Unicode's "highly restrictive"
# profile, UTS #39): Latin may join each of these, and nothing else may mix.
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
# Character-name prefixes of scripts whose names do not start with the script's own name.
_SCRIPT_OF_PREFIX = {"CJK": "HAN", "HALFWIDTH": None, "MODIFIER": None}


class RefusedAddress(ValueError):
    """An address that cannot be accepted; str() is the message to show beside the field."""


def _script(char: str) -> str | None:
    """The alphabet a letter belongs to, read from its Unicode name ("CYRILLIC SMALL LETTER
    IE" is Cyrillic); None for digits, punctuation and marks, which belong to every script."""
    if not unicodedata.category(char).startswith("L"):
        return None
    first = unicodedata.name(char, "").split(" ", 1)[0]
    if not first:
        return None
    return _SCRIPT_OF_PREFIX.get(first, first)


def is_mixed_script(word: str) -> bool:
    """Whether one word holds letters of alphabets no language writes together."""
    scripts = {script for script in map(_script, word) if script is not None}
    if len(scripts) <= 1:
        return False
    return not any(scripts <= allowed for allowed in _ALLOWED_MIXES)


def has_invisible(text: str) -> bool:
    """Format (Cf) or control (Cc) characters: they print as nothing."""
    return any(unicodedata.category(char) in ("Cf", "Cc") for char in text)


def normalise(address: str) -> str:
    """The address as stored and compared; raises RefusedAddress with the reason."""
    if not isinstance(address, str):
        raise RefusedAddress(MALFORMED)
    # Invisible characters are looked for before NFKC, which would drop some of them.
    text = address.strip()
    if has_invisible(text):
        raise RefusedAddress(INVISIBLE)
    text = unicodedata.normalize("NFKC", text).strip()
    if has_invisible(text):
        raise RefusedAddress(INVISIBLE)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise RefusedAddress(MALFORMED)
    if is_mixed_script(local) or any(is_mixed_script(label) for label in domain.split(".")):
        raise RefusedAddress(MIXED)
    try:
        ascii_domain = idna.encode(domain.rstrip("."), uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError, ValueError):
        raise RefusedAddress(MALFORMED) from None
    # The punycode form can hide a mix too ("xn--…" of a mixed word): look at its letters.
    try:
        shown = idna.decode(ascii_domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise RefusedAddress(MALFORMED) from None
    if any(is_mixed_script(label) for label in shown.split(".")):
        raise RefusedAddress(MIXED)
    normalised = f"{local}@{ascii_domain}"
    if len(normalised) > 254:
        raise RefusedAddress(
            "This address is too long: an email address has at most 254 characters."
        )
    return normalised


def normalise_or_none(address: str) -> str | None:
    """The normalised address, or None for one that would be refused (for look-ups)."""
    try:
        return normalise(address)
    except RefusedAddress:
        return None


def refusal(address: str) -> str | None:
    """Why this address is refused, or None."""
    try:
        normalise(address)
    except RefusedAddress as error:
        return str(error)
    return None


def clean_address(address: str) -> str:
    """A typed address, normalised and checked as a whole address, for forms and APIs;
    raises ValidationError with the message for the field."""
    try:
        normalised = normalise(address)
    except RefusedAddress as error:
        code = "invalid" if str(error) == MALFORMED else "refused_address"
        raise ValidationError(str(error), code=code) from None
    try:
        validate_email(normalised)
    except ValidationError:
        raise ValidationError(MALFORMED, code="invalid") from None
    return normalised


class EmailAddressField(forms.EmailField):
    """Django's EmailField, with the address normalised and look-alikes refused."""

    default_validators = []

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_address(value)
