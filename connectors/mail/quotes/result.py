"""The result of separating a reply into its parts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReplySplit:
    """A message body split into what the sender wrote now and what they carried along.

    visible: the new content (interleaved quotes that an answer refers to stay in it).
    quoted: quoted history and attribution or Outlook header blocks, set aside.
    signature: the sender's signature block and mobile/client footers.
    forwarded: a forwarded message with its metadata block ("From:", "Date:", ...).
    """

    visible: str
    quoted: str = ""
    signature: str = ""
    forwarded: str = ""
