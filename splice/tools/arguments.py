"""One wording for arguments that fail validation, shared by the CLI, MCP and the agent.

A pydantic dump (`2 validation errors for edit_fileArguments ... errors.pydantic.dev`) tells
a model or a person nothing they can act on. This names each wrong argument, says what was
wrong with it, and lists what to send, from the request model's own field descriptions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from splice.core.errors import InvalidRequest

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
               "NoneType": "null", "None": "null"}


def field_kind(field: FieldInfo) -> str:
    """A field's type in words: 'a string', 'an integer', 'a number or null', ..."""
    text = str(field.annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")
    words = [_TYPE_WORDS.get(part.strip(), part.strip()) for part in text.split("|")]
    return " or ".join(words)


def field_bounds(field: FieldInfo) -> str:
    """A field's numeric bounds as written in its model, e.g. '100 to 50000'."""
    low = high = None
    for rule in field.metadata:
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        low = getattr(rule, "gt", None) if getattr(rule, "gt", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
        high = getattr(rule, "lt", None) if getattr(rule, "lt", None) is not None else high
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}" if high is not None else ""


def _first_sentence(text: str | None) -> str:
    if not text:
        return ""
    head = re.split(r"(?<=[a-z)`'])\. (?=[A-Z])", text.strip().split("\n")[0])[0]
    return head.rstrip(".") + "."


def _json(value: Any) -> str:
    try:
        return json.dumps(value)
    except TypeError:
        return repr(value)


def _reason(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "is missing"
    shown = repr(err.get("input"))
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    msg = str(err.get("msg", "")).replace("Input should", "should")
    msg = msg.replace("Value error, ", "")
    return f"= {shown}: {msg[0].lower() + msg[1:] if msg else 'is not valid'}"


def explain_invalid(call: str, model: type[BaseModel], exc: ValidationError, *,
                    names: Mapping[str, str] | None = None, only_named: bool = False) -> str:
    """What was wrong with a call's arguments and what to send.

    `call` names the tool or command; `names` maps field names to the names the caller
    used (a CLI flag such as `--max-tokens`, or a surface's renamed field); with
    `only_named`, what to send lists those fields alone (a command takes no others).
    """
    names = names or {}
    shown: dict[str, str] = {}
    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if not loc:  # the arguments as a whole: a list, a string, a number
            problems.append("the arguments must be one JSON object of named arguments")
            continue
        name = names.get(loc[0], loc[0])
        where = ".".join([name, *loc[1:]])
        problems.append(f"`{where}` {_reason(err)}")
        shown[loc[0]] = name
    lines = [f"{call}: {len(problems)} argument problem(s):"]
    lines += [f"- {p}" for p in problems]
    return "\n".join([*lines, *_what_to_send(model, names, only_named)])


def explain_not_object(call: str, model: type[BaseModel], raw: str) -> str:
    """For a call whose arguments were a JSON string, list or number (or not JSON)."""
    shown = raw if len(raw) <= 200 else raw[:197] + "..."
    try:
        value = json.loads(raw)
    except ValueError:
        head = f"{call}: the arguments were not valid JSON: {shown}"
    else:
        kind = {str: "a string", list: "a list", bool: "a boolean", type(None): "null"}.get(
            type(value), "a number")
        head = f"{call}: the arguments must be one JSON object of named arguments, not {kind}: {shown}"
    return "\n".join([head, "Send them again as one JSON object.", *_what_to_send(model, {})])


def _what_to_send(model: type[BaseModel], names: Mapping[str, str],
                  only_named: bool = False) -> list[str]:
    lines = ["Send:"]
    for field_name, field in model.model_fields.items():
        if field.exclude or (only_named and field_name not in names):
            continue
        name = names.get(field_name, field_name)
        bounds = field_bounds(field)
        need = "required" if field.is_required() else f"optional, default {_json(field.default)}"
        detail = ", ".join(x for x in (field_kind(field), bounds, need) if x)
        lines.append(f"- {name} ({detail}) {_first_sentence(field.description)}".rstrip())
    return lines


def validated(model: type[M], values: Mapping[str, Any], *, call: str,
              names: Mapping[str, str] | None = None) -> M:
    """`values` as a `model`, or an InvalidRequest worded by `explain_invalid` (for the CLI,
    whose option names are given in `names`)."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        raise InvalidRequest(explain_invalid(call, model, exc, names=names,
                                             only_named=names is not None)) from None
