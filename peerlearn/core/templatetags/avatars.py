"""``{% avatar name %}``: a person's initials in a coloured circle.

The colour comes from the name alone (a checksum of it picks one of the palette's
``PALETTE_SIZE`` colours, each dark enough for white initials at WCAG AA), so a person
keeps their colour on every page and for every reader. No image is fetched.

By default the circle is an image named after the person (``role="img"``) for screen
readers; where the name is written beside it, ``beside_name=True`` hides the circle from
them instead, so the name is not read twice.

The tag writes its few attributes in place rather than rendering a template: lists show an
avatar per row, and a template per avatar cost more than the rest of the row.
"""

from __future__ import annotations

import zlib
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

#: How many colours ``app.css`` defines for avatars (``.avatar-0`` … ``.avatar-7``).
PALETTE_SIZE = 8


def initials(name: str) -> str:
    """The first letter of the first and of the last word that hold a letter or digit,
    upper-cased: "Achieng Otieno" → "AO", "Kazungu" → "K", "" → "?"."""
    letters = [
        next(c for c in word if c.isalnum())
        for word in str(name).split()
        if any(c.isalnum() for c in word)
    ]
    if not letters:
        return "?"
    picked = letters[0] if len(letters) == 1 else letters[0] + letters[-1]
    return picked.upper()


def avatar_colour(name: str) -> int:
    """The palette index of ``name``'s avatar: the same for the same name, whatever its case
    or surrounding spaces."""
    key = " ".join(str(name).split()).casefold()
    return zlib.crc32(key.encode("utf-8")) % PALETTE_SIZE


@register.simple_tag
def avatar(name: Any, size: str = "", beside_name: bool = False) -> SafeString:
    """``size``: "" (the size of a line of text), or "large" (a profile's heading)."""
    name = str(name or "")
    size_class = format_html(" avatar-{}", size) if size else ""
    if beside_name:
        label = SafeString(' aria-hidden="true"')
    else:
        label = format_html(' role="img" aria-label="{}"', name)
    return format_html(
        '<span class="avatar avatar-{}{}"{}>{}</span>',
        avatar_colour(name),
        size_class,
        label,
        initials(name),
    )
