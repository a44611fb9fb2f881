"""Protobuf plumbing shared by the chain and the client: `Any` packing and proto-JSON.

Every generated module under ``app.pb`` registers its types in protobuf's default descriptor pool
when imported; `load_all_protos` imports them all so that an ``Any`` of any known type can be
unpacked and printed by type URL.

LegacyDec fields are marked ``[(cosmos_proto.scalar) = "cosmos.Dec"]`` in ``proto/``. On the wire
and in state their string holds the value scaled by 10^18 (the SDK's gogoproto ``customtype``);
in JSON they read as the SDK prints them, with 18 decimals. `to_json_dict` and `from_json_dict`
convert between the two, through nested messages, repeated fields and ``Any``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any as AnyValue
from typing import Final, TypeVar

from google.protobuf import any_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import DecodeError, Message

from app.pb.cosmos_proto import cosmos_pb2
from app.types.dec import Dec

__all__ = [
    "DEC_SCALAR",
    "CodecError",
    "from_json_dict",
    "load_all_protos",
    "message_class",
    "pack_any",
    "to_json_dict",
    "type_url_of",
    "unpack_any",
]


DEC_SCALAR: Final = "cosmos.Dec"
"""The ``cosmos_proto.scalar`` of a LegacyDec string field: scaled integer on the wire, 18
decimals in JSON."""

WELL_KNOWN_PACKAGE: Final = "google.protobuf"
ANY_NAME: Final = "google.protobuf.Any"

MessageT = TypeVar("MessageT", bound=Message)

DecRewrite = Callable[[FieldDescriptor, str], str]
"""Turns one LegacyDec field's text from one form into the other."""


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
    return message_factory.GetMessageClass(_descriptor(type_url.rsplit("/", 1)[-1]))


@cache
def _descriptor(full_name: str) -> Descriptor:
    """The descriptor of a message type by full name; raises `CodecError` for unknown types."""
    load_all_protos()
    try:
        return descriptor_pool.Default().FindMessageTypeByName(full_name)
    except KeyError:
        raise CodecError(f"unknown message type {full_name!r}") from None


def unpack_any(packed: any_pb2.Any) -> Message:
    """Decode the message inside an ``Any``; raises `CodecError` on unknown types or bad bytes."""
    message = message_class(packed.type_url)()
    try:
        message.ParseFromString(packed.value)
    except DecodeError as exc:
        raise CodecError(f"cannot decode {packed.type_url}: {exc}") from None
    return message


def to_json_dict(message: Message) -> dict[str, AnyValue]:
    """Proto-JSON as the SDK prints it: proto field names, defaults included, int64 as strings,
    LegacyDec fields with 18 decimals (wire "100000000000000000" → "0.100000000000000000")."""
    load_all_protos()
    document = json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    descriptor = _descriptor(message.DESCRIPTOR.full_name)
    rewritten: dict[str, AnyValue] = _rewrite_message(descriptor, document, _dec_to_json)
    return rewritten


def from_json_dict(cls: type[MessageT], data: AnyValue) -> MessageT:
    """The message of SDK JSON, the inverse of `to_json_dict`: LegacyDec fields are read as
    decimal text ("0.1", "-2", "0.100000000000000000") and stored scaled by 10^18; field names
    may be proto or camelCase. `data` is left unchanged.

    Raises:
        json_format.ParseError: as `json_format.ParseDict`, or a LegacyDec field that is not a
            decimal with at most 18 decimals.
    """
    document = _rewrite_message(_descriptor(cls.DESCRIPTOR.full_name), data, _dec_from_json)
    return json_format.ParseDict(document, cls())


def _dec_to_json(field: FieldDescriptor, text: str) -> str:
    """Scaled integer text → 18 decimals; "" (unset) stays "" so that JSON round-trips the exact
    bytes (signed gentxs), and text that is not a scaled integer is shown as it is."""
    try:
        return str(Dec.from_proto_str(text)) if text else text
    except ValueError:
        return text


def _dec_from_json(field: FieldDescriptor, text: str) -> str:
    """Decimal text → scaled integer text; "" (unset) stays ""."""
    if not text:
        return text
    try:
        return Dec.from_str(text).to_proto_str()
    except ValueError as exc:
        raise json_format.ParseError(f"{field.full_name}: {exc}") from None


def _is_dec(field: FieldDescriptor) -> bool:
    """A string field with ``(cosmos_proto.scalar) = "cosmos.Dec"``."""
    return field.type == FieldDescriptor.TYPE_STRING and any(
        option.full_name == cosmos_pb2.scalar.full_name and value == DEC_SCALAR
        for option, value in field.GetOptions().ListFields()
    )


def _may_hold_decs(field: FieldDescriptor) -> bool:
    """A LegacyDec field, or a message field other than a well-known type (``Any`` is resolved
    by its ``@type``)."""
    inner = field.message_type
    if inner is None:
        return _is_dec(field)
    return inner.file.package != WELL_KNOWN_PACKAGE or inner.full_name == ANY_NAME


@cache
def _fields_to_visit(descriptor: Descriptor) -> tuple[FieldDescriptor, ...]:
    if descriptor.file.package == WELL_KNOWN_PACKAGE:
        return ()
    return tuple(field for field in descriptor.fields if _may_hold_decs(field))


def _rewrite_message(descriptor: Descriptor, document: AnyValue, rewrite: DecRewrite) -> AnyValue:
    """A copy of the JSON `document` of a `descriptor` message with every LegacyDec text passed
    through `rewrite`. Values of the wrong JSON shape are kept for `ParseDict` to reject."""
    if not isinstance(document, dict):
        return document
    if descriptor.full_name == ANY_NAME:
        try:
            descriptor = _descriptor(str(document.get("@type", "")).rsplit("/", 1)[-1])
        except CodecError:
            return document
    result = dict(document)
    for field in _fields_to_visit(descriptor):
        for key in dict.fromkeys((field.name, field.json_name)):
            if key in result:
                result[key] = _rewrite_field(field, result[key], rewrite)
    return result


def _rewrite_field(field: FieldDescriptor, value: AnyValue, rewrite: DecRewrite) -> AnyValue:
    if field.is_repeated and isinstance(value, list):
        return [_rewrite_single(field, item, rewrite) for item in value]
    return _rewrite_single(field, value, rewrite)


def _rewrite_single(field: FieldDescriptor, value: AnyValue, rewrite: DecRewrite) -> AnyValue:
    if field.message_type is not None:
        return _rewrite_message(field.message_type, value, rewrite)
    return rewrite(field, value) if isinstance(value, str) else value
