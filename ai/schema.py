"""JSON schemas in the strict form OpenAI-style structured outputs accept.

Strict mode wants every object closed (additionalProperties: false), every property
listed in required, optional values expressed as a union with null (pydantic already
writes `X | None` as anyOf [X, null]) and no keywords outside its supported subset.
Length limits and formats are dropped from the schema sent to the server, not from
the validation: the pydantic model still checks them on the answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

# Keywords strict mode rejects or that differ between servers; pydantic validates them.
_DROP = frozenset(
    {
        "default",
        "title",
        "minLength",
        "maxLength",
        "format",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "examples",
    }
)


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key in {"properties", "$defs"}:
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    if node.get("format") == "date":
        out["description"] = "a calendar date written YYYY-MM-DD"
    if out.get("type") == "object" or "properties" in out:
        out["type"] = "object"
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    # A $ref may not carry siblings in strict mode (pydantic adds a description there).
    if "$ref" in out and len(out) > 1:
        out = {"$ref": out["$ref"]}
    return out


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema: dict[str, Any] = _strict(model.model_json_schema())
    return schema


def schema_name(model: type[BaseModel]) -> str:
    """The name sent with the schema: letters, digits, _ and - only, as the API requires."""
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in model.__name__)[:64]
