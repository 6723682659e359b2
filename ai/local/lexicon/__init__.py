"""Cue words per language (en, es, de, fr, pt) that the local heuristics look for.

Each cue is a regular-expression fragment matched case-insensitively on word
boundaries. Lists are kept per language so adding one is a local change; the
heuristics use the union because short business mail rarely needs language detection
to be read correctly and mixed-language threads are common. The lists live in
per-concern modules (asks, kinds, tone); this module compiles them.
"""

from __future__ import annotations

import re

from ai.local.lexicon.asks import NO_REPLY, REPLY, REQUEST
from ai.local.lexicon.base import Lexicon, compile_cues, union
from ai.local.lexicon.kinds import (
    AUTO_REPLY_SUBJECT,
    BULK_SENDER,
    MARKETING,
    MEETING,
    MEETING_SUBJECT,
    NOREPLY_SENDER,
    NOTIFICATION,
)
from ai.local.lexicon.tone import GREETING, GROUP_ADDRESS, HIGH, LOW, SIGNOFF, URGENT

__all__ = ["Lexicon", "compile_cues", "union"]

REQUEST_RE = compile_cues(union(REQUEST))
REPLY_RE = compile_cues(union(REPLY))
NO_REPLY_RE = compile_cues(union(NO_REPLY))
MEETING_RE = compile_cues(union(MEETING))
MARKETING_RE = compile_cues(union(MARKETING))
NOTIFICATION_RE = compile_cues(union(NOTIFICATION))
URGENT_RE = compile_cues(union(URGENT))
HIGH_RE = compile_cues(union(HIGH))
LOW_RE = compile_cues(union(LOW))
GROUP_RE = compile_cues(union(GROUP_ADDRESS))
MEETING_SUBJECT_RE = re.compile(MEETING_SUBJECT, re.IGNORECASE)
AUTO_REPLY_SUBJECT_RE = re.compile(AUTO_REPLY_SUBJECT, re.IGNORECASE)
NOREPLY_SENDER_RE = re.compile(NOREPLY_SENDER, re.IGNORECASE)
BULK_SENDER_RE = re.compile(BULK_SENDER, re.IGNORECASE)
GREETING_RE = re.compile(GREETING, re.IGNORECASE)
SIGNOFF_RE = re.compile(SIGNOFF, re.IGNORECASE)
