"""Protobuf plumbing shared by the chain and the client: `Any` packing and proto-JSON.

Every generated module under ``app.pb`` registers its types in protobuf's default descriptor pool
when imported; `load_all_protos` imports them all so that an ``Any`` of any known type can be
unpacked and printed by type URL.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any as AnyValue

from google.protobuf import any_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.message import DecodeError, Message

__all__ = [
    "CodecError",
    "load_all_protos",
    "message_class",
    "pack_any",
    "to_json_dict",
    "type_url_of",
    "unpack_any",
]


class CodecError(ValueError):
    """Bytes or an ``Any`` that do not decode to a known message."""


@cache
def load_all_protos() -> None:
    """Import every generated module so the default descriptor pool knows every type."""
    import app.pb

    for info in pkgutil.walk_packages(app.pb.__path__, "app.pb."):
        if info.name.endswith("_pb2"):
            importlib.import_module(info.name)


def type_url_of(message: Message | type[Message]) -> str:
    """The ``Any`` type URL of a message, as the Cosmos SDK writes it: ``/`` + full name."""
    return "/" + message.DESCRIPTOR.full_name


def pack_any(message: Message) -> any_pb2.Any:
    """Wrap a message in an ``Any`` with the Cosmos-style type URL (no host part)."""
    return any_pb2.Any(type_url=type_url_of(message), value=message.SerializeToString())


@cache
def message_class(type_url: str) -> type[Message]:
    """The generated class for a type URL; raises `CodecError` for unknown types."""
    load_all_protos()
    name = type_url.rsplit("/", 1)[-1]
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(name)
    except KeyError:
        raise CodecError(f"unknown message type {type_url!r}") from None
    return message_factory.GetMessageClass(descriptor)


def unpack_any(packed: any_pb2.Any) -> Message:
    """Decode the message inside an ``Any``; raises `CodecError` on unknown types or bad bytes."""
    message = message_class(packed.type_url)()
    try:
        message.ParseFromString(packed.value)
    except DecodeError as exc:
        raise CodecError(f"cannot decode {packed.type_url}: {exc}") from None
    return message


def to_json_dict(message: Message) -> dict[str, AnyValue]:
    """Proto-JSON as the SDK prints it: proto field names, defaults included, int64 as strings."""
    load_all_protos()
    return json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
