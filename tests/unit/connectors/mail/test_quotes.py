from __future__ import annotations

import pytest

from connectors.mail.quotes import split_reply


@pytest.mark.parametrize(
    "attribution",
    [
        "On Thu, Jun 20, 2024 at 8:59 AM Jordan Lee <jordan.lee@example.org> wrote:",
        "Am Do., 20. Juni 2024 um 08:59 Uhr schrieb Jordan Lee <jordan.lee@example.org>:",
        "Le jeu. 20 juin 2024 à 08:59, Jordan Lee <jordan.lee@example.org> a écrit :",
        "El jue, 20 jun 2024 a las 8:59, Jordan Lee (<jordan.lee@example.org>) escribió:",
        "-----Original Message-----",
    ],
)
def test_attribution_starts_the_quote(attribution: str) -> None:
    text = f"Sounds good.\n\n{attribution}\nFrom the original\n> older"

    visible, quoted = split_reply(text)

    assert visible == "Sounds good."
    assert quoted == f"{attribution}\nFrom the original\n> older"


def test_attribution_wrapped_over_two_lines() -> None:
    text = (
        "Yes.\n\nOn Thu, Jun 20, 2024 at 8:59 AM Jordan Lee <\njordan.lee@example.org> wrote:\n> hi"
    )

    visible, quoted = split_reply(text)

    assert visible == "Yes."
    assert quoted.startswith("On Thu")


def test_quoted_lines_are_set_aside() -> None:
    text = "> Can you send it?\n> Thanks\n\nSent it this morning."

    visible, quoted = split_reply(text)

    assert visible == "Sent it this morning."
    assert quoted == "> Can you send it?\n> Thanks"


@pytest.mark.parametrize("footer", ["-- ", "--", "Sent from my iPhone"])
def test_signature_and_mobile_footer(footer: str) -> None:
    visible, quoted = split_reply(f"See you then.\r\n{footer}\r\nJordan Lee\r\nACME")

    assert visible == "See you then."
    assert quoted == f"{footer}\nJordan Lee\nACME".strip()


def test_plain_text_is_all_visible() -> None:
    text = "Line one\n\nOn the other hand, we wrote a lot.\n--- not a delimiter"

    assert split_reply(text) == (text, "")


def test_empty() -> None:
    assert split_reply("") == ("", "")
