"""Printing results: proto-JSON for `-o json`, the SDK's YAML-like text for `-o text`.

JSON is one compact line, as the SDK prints it, so it pipes into `jq`. Text is the same document
as block YAML: mappings as `key: value`, lists as `- item`, and strings quoted whenever YAML
would read them as something else (numbers, booleans, null, or text with YAML punctuation) —
so an amount prints as `amount: "100"`, like the SDK.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click
from google.protobuf.message import Message

from app.cli.context import Output
from app.codec import to_json_dict

__all__ = ["emit", "emit_message", "render", "to_yaml"]

_PLAIN_SCALAR = re.compile(r"[A-Za-z_/][A-Za-z0-9_./@:+=-]*(?: [A-Za-z0-9_./@:+=-]+)*")
_YAML_KEYWORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"})


def render(document: Any, output: Output) -> str:
    """The text printed for `document` in `output` format (without the final newline)."""
    if output == "json":
        return json.dumps(document, separators=(",", ":"))
    return to_yaml(document)


def emit(document: Any, output: Output) -> None:
    """Print `document` on stdout in `output` format."""
    click.echo(render(document, output))


def emit_message(message: Message, output: Output) -> None:
    """Print a protobuf message as proto-JSON (Any expanded with "@type") or its YAML text."""
    emit(to_json_dict(message), output)


def to_yaml(document: Any) -> str:
    """Block YAML of a JSON value (dicts keep their order)."""
    return "\n".join(_yaml_lines(document, 0)) if _is_block(document) else _yaml_scalar(document)


def _is_block(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if _is_block(item):
                lines.append(f"{pad}{_yaml_scalar(str(key))}:")
                # SDK (go-yaml) style: a list under a key is not indented further.
                lines.extend(_yaml_lines(item, indent if isinstance(item, list) else indent + 2))
            else:
                lines.append(f"{pad}{_yaml_scalar(str(key))}: {_yaml_scalar(item)}")
        return lines
    for item in value:
        if _is_block(item):
            nested = _yaml_lines(item, indent + 2)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines.extend(nested[1:])
        else:
            lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = str(value)
    # ": " and a final ":" would read as a mapping; keywords would read as booleans or null.
    plain = _PLAIN_SCALAR.fullmatch(text) and ": " not in text and not text.endswith(":")
    if plain and text.lower() not in _YAML_KEYWORDS:
        return text
    return json.dumps(text)
