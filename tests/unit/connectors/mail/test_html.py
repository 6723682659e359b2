from __future__ import annotations

from connectors.mail.html import html_to_text


def test_links_kept_and_lines_not_wrapped() -> None:
    long_sentence = "word " * 60
    html = f"<p>{long_sentence}</p><p>Read <a href='https://example.com/a'>this</a>.</p>"

    text = html_to_text(html)

    assert long_sentence.strip() in text.split("\n")
    assert "[this](https://example.com/a)" in text


def test_entities_nbsp_and_self_links() -> None:
    html = (
        "<div>120.00&nbsp;EUR &amp; more</div>"
        "<div><a href='mailto:a@example.com'>a@example.com</a></div><div>- item</div>"
    )

    assert html_to_text(html) == "120.00 EUR & more\na@example.com\n- item"
