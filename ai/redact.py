"""Masking personal data before text leaves for a remote model (the AI_REDACT setting).

Masks email addresses, phone numbers and card-like numbers (13 to 19 digits that pass
the Luhn check, so order numbers and ids mostly survive). Masks are typed placeholders
("[email]", "[phone]", "[card]") so the model still knows something was there.
RedactingProvider applies it to the rendered prompt and to the structured thread of a
request, wrapping any provider; the hub wraps the remote provider only, because the
local provider never sends text anywhere.
"""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel

from ai.base import AIProvider, GenerationRequest
from ai.types import AIResult, ThreadInput

T = TypeVar("T", bound=BaseModel)

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Digit runs with the usual separators; cards are checked before phones so a card
# number is never half-masked as a phone.
_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
_PHONE = re.compile(
    r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}"
    r"(?![\w/-])|(?<![\w/.-])\+\d{8,15}(?![\w/-])"
)
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if 13 <= len(digits) <= 19 and luhn_ok(digits) else match.group()


def _mask_phone(match: re.Match[str]) -> str:
    raw = match.group()
    digits = re.sub(r"\D", "", raw)
    # Dates (2026-11-05), times and short amounts look like digit groups too; a phone
    # number has 7 to 15 digits (E.164's maximum, so a failed-Luhn card-length number
    # such as an order id stays), and an ISO date is not one.
    too_short_or_long = not _MIN_PHONE_DIGITS <= len(digits) <= _MAX_PHONE_DIGITS
    if too_short_or_long or re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return raw
    return "[phone]"


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub(_mask_card, text)
    return _PHONE.sub(_mask_phone, text)


def redact_thread(thread: ThreadInput) -> ThreadInput:
    return thread.model_copy(
        update={
            "subject": redact(thread.subject),
            "messages": tuple(
                m.model_copy(update={"text": redact(m.text), "author": redact(m.author)})
                for m in thread.messages
            ),
        }
    )


class RedactingProvider:
    """Any provider, with the request's mail-derived text masked before it is sent."""

    def __init__(self, inner: AIProvider) -> None:
        self.inner = inner
        self.name = inner.name

    def generate(self, request: GenerationRequest[T]) -> AIResult[T]:
        masked = GenerationRequest(
            step=request.step,
            system=request.system,
            user=redact(request.user),
            thread=redact_thread(request.thread),
            previous_summary=redact(request.previous_summary)
            if request.previous_summary
            else request.previous_summary,
            schema=request.schema,
            prompt_version=request.prompt_version,
            context=request.context,
            style_examples=tuple(redact(s) for s in request.style_examples),
            instructions=request.instructions,
        )
        return self.inner.generate(masked)
