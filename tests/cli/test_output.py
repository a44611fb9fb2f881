"""Text (YAML-like) and JSON rendering of results."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.cli.output import render, to_yaml


def test_yaml_of_a_query_response() -> None:
    document = {
        "balances": [{"denom": "uxprt", "amount": "100"}, {"denom": "ibc/AB12", "amount": "5"}],
        "pagination": {"next_key": None, "total": "0"},
        "empty": [],
        "nothing": {},
    }
    assert to_yaml(document) == "\n".join(
        [
            "balances:",
            "- denom: uxprt",
            '  amount: "100"',
            "- denom: ibc/AB12",
            '  amount: "5"',
            "pagination:",
            "  next_key: null",
            '  total: "0"',
            "empty: []",
            "nothing: {}",
        ]
    )


def test_nested_lists_and_mappings_indent_like_go_yaml() -> None:
    document = {"events": [{"type": "transfer", "attributes": [{"key": "a", "index": True}]}]}
    assert to_yaml(document) == "\n".join(
        [
            "events:",
            "- type: transfer",
            "  attributes:",
            "  - key: a",
            "    index: true",
        ]
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("persistence1abc", "persistence1abc"),
        ("/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgSend"),
        ("100", '"100"'),
        ("0.500000000000000000", '"0.500000000000000000"'),
        ("true", '"true"'),
        ("null", '"null"'),
        ("", '""'),
        ("@type", '"@type"'),
        ("a: b", '"a: b"'),
        ("ends:", '"ends:"'),
        ("two\nlines", '"two\\nlines"'),
        ("2026-01-01T00:00:00Z", '"2026-01-01T00:00:00Z"'),
        (7, "7"),
        (False, "false"),
    ],
)
def test_scalars_are_quoted_when_yaml_would_misread_them(value: Any, shown: str) -> None:
    assert to_yaml({"k": value}) == f"k: {shown}"


def test_json_output_is_one_compact_line() -> None:
    assert render({"a": ["1", {"b": None}]}, "json") == '{"a":["1",{"b":null}]}'


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)


@given(_json_values)
def test_quoted_scalars_round_trip_through_json(value: Any) -> None:
    # Every quoted scalar is a JSON string literal, so it decodes back to the original text.
    rendered = to_yaml({"k": value})
    if isinstance(value, str) and rendered.startswith('k: "'):
        assert json.loads(rendered[3:]) == value
    assert "\n" not in rendered or isinstance(value, dict | list)
