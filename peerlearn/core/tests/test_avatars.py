"""The initials avatar: initials, a colour that follows the name, and accessible text."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from peerlearn.core.templatetags.avatars import PALETTE_SIZE, avatar_colour, initials


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Achieng Otieno", "AO"),
        ("Kazungu", "K"),
        ("Jean-Baptiste de la Fontaine", "JF"),
        ("  amina   mohammed  ", "AM"),
        ("Ève Ødegård", "ÈØ"),
        ("Dr. (Acting) Ruth Wanjiru", "DW"),
        ("— Ruth", "R"),
        ("", "?"),
        ("...", "?"),
    ],
)
def test_initials_take_the_first_and_last_words(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_the_colour_follows_the_name_and_spreads_over_the_palette() -> None:
    assert avatar_colour("Achieng Otieno") == avatar_colour(" achieng  OTIENO ")
    names = [f"Peer {n} Example" for n in range(200)]
    colours = {avatar_colour(n) for n in names}
    assert colours == set(range(PALETTE_SIZE))


def render(source: str, **context: object) -> str:
    return Template("{% load avatars %}" + source).render(Context(context))


def test_an_avatar_alone_is_an_image_named_after_the_person() -> None:
    html = render("{% avatar name %}", name="Achieng <Otieno>")
    assert 'role="img"' in html
    assert 'aria-label="Achieng &lt;Otieno&gt;"' in html  # escaped like any text
    assert html.endswith(">AO</span>")  # "<" and ">" are not letters: skipped
    assert f"avatar-{avatar_colour('Achieng <Otieno>')}" in html


def test_an_avatar_beside_the_name_is_hidden_from_screen_readers() -> None:
    html = render('{% avatar name size="large" beside_name=True %}', name="Kazungu Baya")
    assert 'aria-hidden="true"' in html and "role=" not in html and "aria-label" not in html
    assert "avatar-large" in html and html.endswith(">KB</span>")


#: The template the tag rendered before it wrote its HTML in place.
FORMER_TEMPLATE = (
    '<span class="avatar avatar-{{ colour }}{% if size %} avatar-{{ size }}{% endif %}"'
    '{% if beside_name %} aria-hidden="true"{% else %} role="img" aria-label="{{ name }}"'
    "{% endif %}>{{ initials }}</span>"
)


@pytest.mark.parametrize("name", ["Achieng Otieno", 'Ruth "R" <Wanjiru> & co', "", None])
@pytest.mark.parametrize("size", ["", "large", '"x'])
@pytest.mark.parametrize("beside_name", [False, True])
def test_the_tag_writes_what_its_former_template_wrote(
    name: str | None, size: str, beside_name: bool
) -> None:
    text = str(name or "")
    former = Template(FORMER_TEMPLATE).render(
        Context(
            {
                "name": text,
                "initials": initials(text),
                "colour": avatar_colour(text),
                "size": size,
                "beside_name": beside_name,
            }
        )
    )
    html = render(
        "{% avatar name size=size beside_name=beside_name %}",
        **{"name": name, "size": size, "beside_name": beside_name},
    )
    assert html == former
