"""Delta rounds for the Graph fake: state behind $skiptoken/$deltatoken, and the pages.

A round covers the mailbox's change log between two positions (s, u]. Its state
travels inside the opaque tokens, with the $select and $filter of the round's first
request baked in, as Graph does: nextLinks and deltaLinks are followed unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connectors.outlook.fake_resources import (
    Mailbox,
    StoredMessage,
    delta_changes,
    removed_item,
    render_delta_item,
)
from connectors.outlook.fake_wire import (
    decode_state,
    encode_state,
    parse_received_filter,
    parse_select,
)


class DeltaGone(Exception):
    """A delta state the mailbox no longer has (expired, foreign, from another instance)."""


def delta_state(
    query: Mapping[str, str], box: Mailbox, *, instance: str, page_size: int
) -> dict[str, Any]:
    """Where this page starts: a new round, or the state behind a skip/delta token.

    Raises DeltaGone for a state that is no longer known, ValueError for a bad request.
    """
    token = query.get("$skiptoken") or query.get("$deltatoken")
    if token:
        state = decode_state(token)
        if (state.get("i"), state.get("b"), state.get("e")) != (
            instance,
            box.user_id,
            box.delta_epoch,
        ):
            raise DeltaGone
        if not isinstance(state.get("u"), int):
            raise ValueError("not a delta state")
        if "$skiptoken" in query:
            return state
        # A deltaLink starts a new round from where the last one ended.
        return state | {"s": state["u"], "u": box.seq, "o": 0, "n": page_size}
    received = parse_received_filter(query.get("$filter"))
    select = parse_select(query.get("$select"))
    return {
        "i": instance,
        "b": box.user_id,
        "e": box.delta_epoch,
        "s": 0,
        "u": box.seq,
        "o": 0,
        "n": page_size,
        "sel": sorted(select) if select is not None else None,
        "f": [received[0], received[1].isoformat()] if received else None,
    }


def delta_page(box: Mailbox, state: dict[str, Any], *, link: str) -> dict[str, Any]:
    """One page of the round: its items, then a nextLink or (last page) a deltaLink."""
    select = frozenset(state["sel"]) if state.get("sel") is not None else None
    changes = delta_changes(box, int(state["s"]), int(state["u"]))
    offset, size = int(state["o"]), int(state["n"])
    value = []
    for kind, message_id in changes[offset : offset + size]:
        stored = box.messages.get(message_id)
        if kind == "deleted":
            value.append(removed_item(message_id))
        # A message deleted since the round began shows up as removed in the next one.
        elif stored is not None and _passes(stored, state.get("f")):
            value.append(render_delta_item(stored, select))
    page: dict[str, Any] = {}
    if offset + size < len(changes):
        page["@odata.nextLink"] = f"{link}?$skiptoken={encode_state(state | {'o': offset + size})}"
    else:
        page["@odata.deltaLink"] = f"{link}?$deltatoken={encode_state(state | {'o': 0})}"
    page["value"] = value
    return page


def _passes(stored: StoredMessage, received: Any) -> bool:
    if not received:
        return True
    operator, bound = received[0], datetime.fromisoformat(received[1])
    return stored.received >= bound if operator == "ge" else stored.received > bound
