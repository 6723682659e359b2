# ruff: noqa: RUF001  -- attribution lines in Cyrillic and CJK on purpose
from __future__ import annotations

import pytest

from connectors.mail.quotes import split_html, split_reply, split_text

ATTRIBUTIONS = [
    "On Thu, Jun 20, 2024 at 8:59 AM Jordan Lee <jordan.lee@example.org> wrote:",
    "Am Do., 20. Juni 2024 um 08:59 Uhr schrieb Jordan Lee <jordan.lee@example.org>:",
    "Le jeu. 20 juin 2024 à 08:59, Jordan Lee <jordan.lee@example.org> a écrit :",
    "El jue, 20 jun 2024 a las 8:59, Jordan Lee (<jordan.lee@example.org>) escribió:",
    "Em qui., 20 de jun. de 2024 às 08:59, Jordan Lee <jordan.lee@example.org> escreveu:",
    "Il giorno gio 20 giu 2024 alle ore 08:59 Jordan Lee <j@example.org> ha scritto:",
    "Op do 20 jun. 2024 om 08:59 schreef Jordan Lee <jordan.lee@example.org>:",
    "Den tors 20 juni 2024 kl 08:59 skrev Jordan Lee <jordan.lee@example.org>:",
    "tor. 20. jun. 2024 kl. 08:59 skrev Jordan Lee <jordan.lee@example.org>:",
    "to 20. kesäk. 2024 klo 8.59 Jordan Lee <jordan.lee@example.org> kirjoitti:",
    "W dniu 20.06.2024 o 08:59, Jordan Lee pisze <j@example.org> napisał:",
    "чт, 20 июн. 2024 г. в 08:59, Jordan Lee <jordan.lee@example.org>:",
    "чт, 20 черв. 2024 р. о 08:59 Jordan Lee <jordan.lee@example.org> пише:",
    "2024年6月20日(木) 8:59 Jordan Lee <jordan.lee@example.org>:",
    "Jordan Lee <jordan.lee@example.org> 于2024年6月20日周四 08:59写道：",
    "-----Original Message-----",
    "-----Ursprüngliche Nachricht-----",
]


@pytest.mark.parametrize("attribution", ATTRIBUTIONS)
def test_attribution_starts_the_quote(attribution: str) -> None:
    text = f"Sounds good.\n\n{attribution}\nFrom the original\n> older"

    parts = split_text(text)

    assert parts.visible == "Sounds good."
    assert "older" in parts.quoted


def test_attribution_wrapped_over_two_lines() -> None:
    text = (
        "Yes.\n\nOn Thu, Jun 20, 2024 at 8:59 AM Jordan Lee <\njordan.lee@example.org> wrote:\n> hi"
    )

    assert split_text(text).visible == "Yes."


@pytest.mark.parametrize(
    ("sender", "sent", "to", "subject"),
    [
        ("From", "Sent", "To", "Subject"),
        ("Von", "Gesendet", "An", "Betreff"),
        ("De", "Envoyé", "À", "Objet"),
        ("Fra", "Sendt", "Til", "Emne"),
        ("Od", "Wysłano", "Do", "Temat"),
        ("От", "Отправлено", "Кому", "Тема"),
        ("发件人", "发送时间", "收件人", "主题"),
    ],
)
def test_outlook_block_with_localized_fields(sender: str, sent: str, to: str, subject: str) -> None:
    text = (
        "Done, see attached.\n\n________________________________\n"
        f"{sender}: Jordan Lee <j@example.org>\n{sent}: 20.06.2024 08:59\n"
        f"{to}: Sam\n{subject}: Report\n\nOld text"
    )

    parts = split_text(text)

    assert parts.visible == "Done, see attached."
    assert parts.quoted.startswith("____")


@pytest.mark.parametrize(
    "footer",
    [
        "Sent from my iPhone",
        "Get Outlook for iOS",
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPhone",
        "Enviado desde mi iPhone",
        "iPhoneから送信",
    ],
)
def test_mobile_footer_is_signature(footer: str) -> None:
    parts = split_text(f"See you then.\n\n{footer}")

    assert parts.visible == "See you then."
    assert parts.signature == footer


def test_sentence_about_sending_is_not_a_footer() -> None:
    text = "Here it is\n\nSent from my desk, is much easier then my mobile phone."

    assert split_text(text).visible == text


def test_signature_policy() -> None:
    parts = split_text("See you then.\n\nThanks,\nJordan\n-- \nJordan Lee\nACME Corp")

    assert parts.visible == "See you then.\n\nThanks,\nJordan"
    assert parts.signature == "-- \nJordan Lee\nACME Corp"


def test_inline_reply_keeps_answered_quotes_visible() -> None:
    text = (
        "On Tue, Apr 29, 2014 at 4:22 PM, Dev <dev@example.com> wrote:\n> first\n\n"
        "Answer one\n\n> second?\n\nAnswer two\n\n> trailing quote\n"
    )

    parts = split_text(text)

    # The first block is answered like the others: only the attribution goes.
    assert parts.visible == "> first\n\nAnswer one\n\n> second?\n\nAnswer two"
    assert "trailing quote" in parts.quoted
    assert "wrote:" in parts.quoted


def test_forward_keeps_metadata() -> None:
    text = (
        "FYI\n\n---------- Forwarded message ---------\nFrom: Bob <bob@example.com>\n"
        "Date: Tue, Jan 1, 2019\nSubject: Plan\nTo: <me@example.com>\n\nThe plan."
    )

    parts = split_text(text)

    assert parts.visible == "FYI"
    assert "From: Bob" in parts.forwarded
    assert "The plan." in parts.forwarded


def test_bare_forward_shows_the_forwarded_text() -> None:
    text = "-------- Weitergeleitete Nachricht --------\nVon: Bob\nDatum: 1.1.2019\n\nDer Plan."

    parts = split_text(text)

    assert parts.visible == "Der Plan."
    assert parts.forwarded.startswith("--------")


def test_plain_text_is_all_visible() -> None:
    text = "Line one\n\nOn the other hand, we wrote a lot.\n--- not a delimiter here"

    assert split_reply(text) == (text, "")


def test_split_reply_compat() -> None:
    assert split_reply("") == ("", "")
    visible, rest = split_reply("Ok.\n\nOn Mon, Jan 1, 2024 at 9:00 Bob <b@x.org> wrote:\n> hi")
    assert visible == "Ok."
    assert rest.startswith("On Mon")


@pytest.mark.parametrize(
    "quote",
    [
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, Bob wrote:</div>'
        "<blockquote>old</blockquote></div>",
        '<blockquote type="cite">old</blockquote>',
        '<div id="divRplyFwdMsg"><b>From:</b> Bob<br><b>Sent:</b> Monday</div><div>old</div>',
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> Bob</p>'
        "<p><b>Sent:</b> Monday</p></div><p>old</p>",
        '<div id="OLK_SRC_BODY_SECTION"><b>From:</b> Bob</div><div>old</div>',
        "<hr><b>From:</b> Bob<br><b>Sent:</b> Monday<br>old",
    ],
)
def test_html_quotes(quote: str) -> None:
    parts = split_html(f"<html><body><div>Reply <b>here</b></div>{quote}</body></html>")

    assert parts.visible == "Reply here"
    assert "old" in parts.quoted


def test_html_deeply_nested_does_not_fail() -> None:
    html = "<div>" * 5000 + "deep" + "</div>" * 5000

    assert split_html(html).visible == "deep"
