"""The shortcut's reply renderer."""

from __future__ import annotations

import json

from slackapp.blocks.message_summary import summary_message


def test_summary_reply_is_escaped_ephemeral() -> None:
    message = summary_message("<!channel> login fails for <@U1> & @here")
    assert message["response_type"] == "ephemeral"
    assert message["replace_original"] is False
    section = message["blocks"][0]["text"]
    assert section["verbatim"] is True
    assert section["text"] == "&lt;!channel&gt; login fails for &lt;@U1&gt; &amp; @\u2060here"
    assert "<!channel>" not in json.dumps(message)
    assert "<!channel>" not in message["text"]


def test_empty_summary_says_so() -> None:
    message = summary_message("  ")
    assert "blocks" not in message
    assert "no text" in message["text"]


def test_long_summary_fits_a_section() -> None:
    message = summary_message("&" * 5000)
    assert len(message["blocks"][0]["text"]["text"]) <= 3000
    assert len(message["text"]) <= 300
