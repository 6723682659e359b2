"""Unit cases for the quote rules added for wrapped attributions, cited quotes, footers."""

from __future__ import annotations

import time

from connectors.mail.quotes import split_html, split_text


def test_reply_line_is_not_merged_into_the_attribution_below() -> None:
    # "Replying ok" has no date, address or lead word: it cannot start an attribution.
    text = "Replying ok\n2024/6/20 Jordan Lee <jordan.lee@example.org>\n\n> Cool beans"

    parts = split_text(text)

    assert parts.visible == "Replying ok"
    assert "Cool beans" in parts.quoted


def test_wrapped_cyrillic_attribution_under_the_reply() -> None:
    text = (
        'Hello\n20.06.2024 08:59 пользователь "j@example.org" <\nj@example.org> написал:\n\n> Hi\n>'
    )

    assert split_text(text).visible == "Hello"


def test_attribution_wrapped_over_blank_lines() -> None:
    text = (
        "Yes.\n\nOn Thu, Jun 20, 2024 at 8:59 AM Jordan Lee\n\n<\n"
        "mailto:Jordan Lee <jordan.lee@example.org>\n> wrote:\nThe older text\n"
    )

    parts = split_text(text)

    assert parts.visible == "Yes."
    assert "The older text" in parts.quoted


def test_lead_word_line_with_a_number_is_not_an_attribution() -> None:
    text = "On 3 points I agree.\n\nThe rest\nis fine."

    assert split_text(text).visible == text


def test_german_reply_separator() -> None:
    assert split_text("Danke\n\n-----Antwort Nachricht-----\n\nAlt").visible == "Danke"


def test_blank_lines_after_a_removed_block_go_with_it() -> None:
    text = (
        "Test reply\nOn 06/20/2024 08:59 AM, Jordan Lee wrote:\n\n>Older\n>> Oldest\n\n"
        "Regards, Roman"
    )

    assert split_text(text).visible == "Test reply\nRegards, Roman"


def test_quote_followed_only_by_a_signature_is_not_answered() -> None:
    text = "Answer\n\n> the question\n> more of it\n\n-- \nJordan Lee"

    parts = split_text(text)

    assert parts.visible == "Answer"
    assert "the question" in parts.quoted
    assert parts.signature == "-- \nJordan Lee"


def test_quote_followed_only_by_a_list_footer_is_not_answered() -> None:
    text = (
        "Hi,\n\nUse the API.\n\n> What is the best way?\n> \n> -Kim\n\n\n"
        "_______________________________________________\nsome-list mailing list\n"
        "some-list@lists.example.org\nhttp://lists.example.org/listinfo/some-list\n"
    )

    parts = split_text(text)

    assert parts.visible == "Hi,\n\nUse the API."
    assert "best way" in parts.quoted
    assert "mailing list" in parts.signature


def test_quote_cited_above_the_attribution_stays() -> None:
    text = "Reply\n> cited line\n\nOn Thu, Jun 20, 2024 at 8:59 AM J <j@example.org> wrote:\n> old"

    parts = split_text(text)

    assert parts.visible == "Reply\n> cited line"
    assert "old" in parts.quoted


def test_rule_lines_inside_a_code_fence_are_code() -> None:
    text = "Look:\n\n```\n# comment\n####\ncode\n```\n\nEnd of the email."

    assert split_text(text).visible == text


def test_rule_line_outside_a_code_fence_is_still_a_signature() -> None:
    text = "Look:\n\n```\ncode\n```\n\nBye\n_____\nJordan Lee\nACME"

    parts = split_text(text)

    assert parts.visible == "Look:\n\n```\ncode\n```\n\nBye"
    assert parts.signature.startswith("_____")


def test_date_first_attribution_with_address() -> None:
    text = "Works for me.\n\n\n2024/6/20 jordan via Team List <list@example.org>\n\n| older"

    assert split_text(text).visible == "Works for me."


def test_html_gmail_composer_quote_is_content() -> None:
    html = 'Message<blockquote class="gmail_quote"><div>A cited line.</div></blockquote>'

    assert split_html(html).visible.split() == ["Message", "A", "cited", "line."]


def test_html_gmail_quote_under_an_attribution_is_history() -> None:
    html = (
        "<div>Yes</div><div>On Thu, Jun 20, 2024 at 8:59 AM J &lt;j@example.org&gt; wrote:</div>"
        '<blockquote class="gmail_quote">old</blockquote>'
    )

    parts = split_html(html)

    assert parts.visible == "Yes"
    assert "old" in parts.quoted


def test_html_blockquote_before_the_attribution_stays() -> None:
    html = (
        "Reply<blockquote>Regular</blockquote><div>On 11-Apr-2024, at 6:54 PM, Bob "
        "&lt;bob@example.com&gt; wrote:</div><blockquote><div><blockquote>Nested</blockquote>"
        "</div></blockquote>"
    )

    parts = split_html(html)

    assert parts.visible.split() == ["Reply", "Regular"]
    assert "Nested" in parts.quoted


def test_html_bare_gmail_forward_shows_the_forwarded_text() -> None:
    html = (
        '<div dir="ltr"><br><div class="gmail_quote">---------- Forwarded message ----------'
        "<br>From: <b>Bob</b> &lt;bob@example.com&gt;<br>Date: Fri, Feb 11, 2024 at 5:59 PM"
        '<br>Subject: Plan<br>To: Mary &lt;mary@example.com&gt;<br><br><br><div dir="ltr">'
        "The plan.</div></div><br></div>"
    )

    parts = split_html(html)

    assert parts.visible.strip() == "The plan."
    assert "From: Bob" in parts.forwarded


def test_many_lead_lines_stay_fast() -> None:
    text = "\n".join(f"On {n} May at 10:{n % 60:02d} it rained" for n in range(1000))

    started = time.perf_counter()
    split_text(text)

    assert time.perf_counter() - started < 2.0


def test_attribution_without_date_counts_when_a_quote_follows() -> None:
    split = split_text("Updated numbers attached.\n\nOn Thu, Sam wrote:\n> figures\n")
    assert split.visible == "Updated numbers attached."
    assert "On Thu, Sam wrote:" in split.quoted
    kept = split_text("On Thursday I wrote: the numbers are final.\nThanks")
    assert "the numbers are final" in kept.visible
