"""Staking state: validators and their indices, delegations, unbondings, redelegations, queues.

Key table (store ``staking``), prefixes as cosmos-sdk v0.50 ``x/staking/types/keys.go``;
``|a|`` is a length-prefixed address (one length byte, then the bytes):

    0x11 | |val|                          -> last validator power (decimal text)
    0x12                                  -> last total power (decimal text)
    0x21 | |val|                          -> Validator
    0x22 | |cons|                         -> operator address bytes
    0x23 | power (8 B BE) | |~val|         -> operator address bytes   (bit-inverted operator, so a
                                             reverse walk gives power desc, then operator asc)
    0x31 | |del| | |val|                  -> Delegation
    0x32 | |del| | |val|                  -> UnbondingDelegation
    0x33 | |val| | |del|                  -> empty   (index: validator -> unbonding delegations)
    0x34 | |del| | |src| | |dst|          -> Redelegation
    0x35 | |src| | |del| | |dst|          -> empty   (index: source -> redelegations)
    0x36 | |dst| | |del| | |src|          -> empty   (index: destination -> redelegations)
    0x37                                  -> last unbonding id (decimal text)
    0x41 | time                           -> DVPairs     (unbonding queue)
    0x42 | time                           -> DVVTriplets (redelegation queue)
    0x43 | time | height (8 B BE)         -> ValAddresses (unbonding validator queue)
    0x51                                  -> Params

`time` is the nanoseconds since Go's zero time (0001-01-01) as 9 big-endian bytes, so key order
is time order
(the SDK writes a fixed-width text; only the order matters). Records are stored as the SDK's
protos. The unbonding-id index tables (0x38, 0x39) and historical info (0x50) serve interchain
security upstream and are not kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.chain.addresses import format_acc_address
from app.chain.kv import KVStore, decoded_by_stored_bytes
from app.codec import pack_any
from app.modules.staking.types import (
    BondStatus,
    Commission,
    Delegation,
    Description,
    Params,
    Redelegation,
    RedelegationEntry,
    UnbondingDelegation,
    UnbondingDelegationEntry,
    Validator,
)
from app.pb.cosmos.crypto.ed25519 import keys_pb2
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.store.views import prefix_end
from app.types.address import acc_address_from_bech32, val_address_from_bech32, val_to_bech32
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import (
    GO_ZERO_TIME,
    Timestamp,
    duration_from_proto,
    duration_to_proto,
    timestamp_from_proto,
    timestamp_to_proto,
)

STORE_NAME = "staking"

LAST_VALIDATOR_POWER_PREFIX = b"\x11"
LAST_TOTAL_POWER_KEY = b"\x12"
VALIDATORS_PREFIX = b"\x21"
VALIDATORS_BY_CONS_ADDR_PREFIX = b"\x22"
VALIDATORS_BY_POWER_PREFIX = b"\x23"
DELEGATION_PREFIX = b"\x31"
UNBONDING_DELEGATION_PREFIX = b"\x32"
UNBONDING_DELEGATION_BY_VAL_PREFIX = b"\x33"
REDELEGATION_PREFIX = b"\x34"
REDELEGATION_BY_SRC_PREFIX = b"\x35"
REDELEGATION_BY_DST_PREFIX = b"\x36"
UNBONDING_ID_KEY = b"\x37"
UNBONDING_QUEUE_PREFIX = b"\x41"
REDELEGATION_QUEUE_PREFIX = b"\x42"
VALIDATOR_QUEUE_PREFIX = b"\x43"
PARAMS_KEY = b"\x51"

ED25519_PUBKEY_TYPE = "/cosmos.crypto.ed25519.PubKey"

TIME_KEY_LENGTH = 9
"""Bytes of a queue key's time: nanoseconds from year 1 to 9999 need 69 bits."""


# ---- key builders ---------------------------------------------------------------------------


def lp(address: bytes) -> bytes:
    """len(address) as one byte, then the address (``address.MustLengthPrefix``)."""
    return bytes((len(address),)) + address


def split_lp(key: bytes, start: int) -> tuple[bytes, int]:
    """The length-prefixed address at `start` of `key` and the offset after it."""
    length = key[start]
    return key[start + 1 : start + 1 + length], start + 1 + length


def time_bytes(ts: Timestamp) -> bytes:
    return (ts - GO_ZERO_TIME).to_bytes(TIME_KEY_LENGTH, "big")


def validator_key(operator: bytes) -> bytes:
    return VALIDATORS_PREFIX + lp(operator)


def cons_addr_key(cons: bytes) -> bytes:
    return VALIDATORS_BY_CONS_ADDR_PREFIX + lp(cons)


def power_index_key(power: int, operator: bytes) -> bytes:
    """0x23 | power (8 B BE) | |~operator| (``GetValidatorsByPowerIndexKey``)."""
    inverted = bytes(0xFF ^ b for b in operator)
    return VALIDATORS_BY_POWER_PREFIX + power.to_bytes(8, "big") + lp(inverted)


def operator_from_power_key(key: bytes) -> bytes:
    inverted, _ = split_lp(key, 9)
    return bytes(0xFF ^ b for b in inverted)


def last_power_key(operator: bytes) -> bytes:
    return LAST_VALIDATOR_POWER_PREFIX + lp(operator)


def delegation_key(delegator: bytes, operator: bytes) -> bytes:
    return DELEGATION_PREFIX + lp(delegator) + lp(operator)


def delegations_prefix(delegator: bytes) -> bytes:
    return DELEGATION_PREFIX + lp(delegator)


def ubd_key(delegator: bytes, operator: bytes) -> bytes:
    return UNBONDING_DELEGATION_PREFIX + lp(delegator) + lp(operator)


def ubds_prefix(delegator: bytes) -> bytes:
    return UNBONDING_DELEGATION_PREFIX + lp(delegator)


def ubd_by_val_key(operator: bytes, delegator: bytes) -> bytes:
    return UNBONDING_DELEGATION_BY_VAL_PREFIX + lp(operator) + lp(delegator)


def ubds_by_val_prefix(operator: bytes) -> bytes:
    return UNBONDING_DELEGATION_BY_VAL_PREFIX + lp(operator)


def red_key(delegator: bytes, src: bytes, dst: bytes) -> bytes:
    return REDELEGATION_PREFIX + lp(delegator) + lp(src) + lp(dst)


def reds_prefix(delegator: bytes) -> bytes:
    return REDELEGATION_PREFIX + lp(delegator)


def red_by_src_key(src: bytes, delegator: bytes, dst: bytes) -> bytes:
    return REDELEGATION_BY_SRC_PREFIX + lp(src) + lp(delegator) + lp(dst)


def reds_by_src_prefix(src: bytes) -> bytes:
    return REDELEGATION_BY_SRC_PREFIX + lp(src)


def red_by_dst_key(dst: bytes, delegator: bytes, src: bytes) -> bytes:
    return REDELEGATION_BY_DST_PREFIX + lp(dst) + lp(delegator) + lp(src)


def reds_by_dst_delegator_prefix(dst: bytes, delegator: bytes) -> bytes:
    """0x36 | |dst| | |del|: redelegations of `delegator` into `dst` (transitivity check)."""
    return REDELEGATION_BY_DST_PREFIX + lp(dst) + lp(delegator)


def ubd_queue_key(ts: Timestamp) -> bytes:
    return UNBONDING_QUEUE_PREFIX + time_bytes(ts)


def red_queue_key(ts: Timestamp) -> bytes:
    return REDELEGATION_QUEUE_PREFIX + time_bytes(ts)


def validator_queue_key(ts: Timestamp, height: int) -> bytes:
    return VALIDATOR_QUEUE_PREFIX + time_bytes(ts) + height.to_bytes(8, "big")


def parse_validator_queue_key(key: bytes) -> tuple[Timestamp, int]:
    end = 1 + TIME_KEY_LENGTH
    ts = Timestamp(int.from_bytes(key[1:end], "big") + GO_ZERO_TIME)
    return ts, int.from_bytes(key[end : end + 8], "big")


def iterate_until(store: KVStore, prefix: bytes, end_key: bytes) -> list[tuple[bytes, bytes]]:
    """Entries of `prefix` with keys up to and including `end_key`, materialized (callers
    delete while walking)."""
    return list(store.iterate(prefix, end_key + b"\x00"))


def iterate_prefix_list(store: KVStore, prefix: bytes) -> list[tuple[bytes, bytes]]:
    return list(store.iterate(prefix, prefix_end(prefix)))


# ---- record codecs --------------------------------------------------------------------------


def description_to_proto(d: Description) -> staking_pb2.Description:
    return staking_pb2.Description(
        moniker=d.moniker,
        identity=d.identity,
        website=d.website,
        security_contact=d.security_contact,
        details=d.details,
    )


def description_from_proto(pb: staking_pb2.Description) -> Description:
    return Description(pb.moniker, pb.identity, pb.website, pb.security_contact, pb.details)


def validator_to_proto(v: Validator) -> staking_pb2.Validator:
    rates = v.commission
    return staking_pb2.Validator(
        operator_address=val_to_bech32(v.operator),
        consensus_pubkey=pack_any(keys_pb2.PubKey(key=v.consensus_pubkey)),
        jailed=v.jailed,
        status=int(v.status),  # type: ignore[arg-type]
        tokens=str(v.tokens),
        delegator_shares=v.delegator_shares.to_proto_str(),
        description=description_to_proto(v.description),
        unbonding_height=v.unbonding_height,
        unbonding_time=timestamp_to_proto(v.unbonding_time),
        commission=staking_pb2.Commission(
            commission_rates=staking_pb2.CommissionRates(
                rate=rates.rate.to_proto_str(),
                max_rate=rates.max_rate.to_proto_str(),
                max_change_rate=rates.max_change_rate.to_proto_str(),
            ),
            update_time=timestamp_to_proto(rates.update_time),
        ),
        min_self_delegation=str(v.min_self_delegation),
    )


def validator_from_proto(pb: staking_pb2.Validator) -> Validator:
    """A stored or genesis validator; raises ValueError/AddressError on malformed fields."""
    if pb.consensus_pubkey.type_url != ED25519_PUBKEY_TYPE:
        raise ValueError(f"unsupported consensus key type {pb.consensus_pubkey.type_url!r}")
    key = keys_pb2.PubKey.FromString(pb.consensus_pubkey.value).key
    rates = pb.commission.commission_rates
    return Validator(
        operator=val_address_from_bech32(pb.operator_address),
        consensus_pubkey=key,
        jailed=pb.jailed,
        status=BondStatus(pb.status),
        tokens=Int.from_proto_str(pb.tokens or "0"),
        delegator_shares=Dec.from_proto_str(pb.delegator_shares or "0"),
        description=description_from_proto(pb.description),
        unbonding_height=pb.unbonding_height,
        unbonding_time=timestamp_from_proto(pb.unbonding_time),
        commission=Commission(
            rate=Dec.from_proto_str(rates.rate or "0"),
            max_rate=Dec.from_proto_str(rates.max_rate or "0"),
            max_change_rate=Dec.from_proto_str(rates.max_change_rate or "0"),
            update_time=timestamp_from_proto(pb.commission.update_time),
        ),
        min_self_delegation=Int.from_proto_str(pb.min_self_delegation or "0"),
    )


def delegation_to_proto(d: Delegation) -> staking_pb2.Delegation:
    return staking_pb2.Delegation(
        delegator_address=format_acc_address(d.delegator),
        validator_address=val_to_bech32(d.validator),
        shares=d.shares.to_proto_str(),
    )


def delegation_from_proto(pb: staking_pb2.Delegation) -> Delegation:
    return Delegation(
        delegator=acc_address_from_bech32(pb.delegator_address),
        validator=val_address_from_bech32(pb.validator_address),
        shares=Dec.from_proto_str(pb.shares or "0"),
    )


def ubd_to_proto(u: UnbondingDelegation) -> staking_pb2.UnbondingDelegation:
    return staking_pb2.UnbondingDelegation(
        delegator_address=format_acc_address(u.delegator),
        validator_address=val_to_bech32(u.validator),
        entries=[
            staking_pb2.UnbondingDelegationEntry(
                creation_height=e.creation_height,
                completion_time=timestamp_to_proto(e.completion_time),
                initial_balance=str(e.initial_balance),
                balance=str(e.balance),
                unbonding_id=e.unbonding_id,
            )
            for e in u.entries
        ],
    )


def ubd_from_proto(pb: staking_pb2.UnbondingDelegation) -> UnbondingDelegation:
    return UnbondingDelegation(
        delegator=acc_address_from_bech32(pb.delegator_address),
        validator=val_address_from_bech32(pb.validator_address),
        entries=tuple(
            UnbondingDelegationEntry(
                creation_height=e.creation_height,
                completion_time=timestamp_from_proto(e.completion_time),
                initial_balance=Int.from_proto_str(e.initial_balance or "0"),
                balance=Int.from_proto_str(e.balance or "0"),
                unbonding_id=e.unbonding_id,
            )
            for e in pb.entries
        ),
    )


def red_to_proto(r: Redelegation) -> staking_pb2.Redelegation:
    return staking_pb2.Redelegation(
        delegator_address=format_acc_address(r.delegator),
        validator_src_address=val_to_bech32(r.validator_src),
        validator_dst_address=val_to_bech32(r.validator_dst),
        entries=[red_entry_to_proto(e) for e in r.entries],
    )


def red_entry_to_proto(e: RedelegationEntry) -> staking_pb2.RedelegationEntry:
    return staking_pb2.RedelegationEntry(
        creation_height=e.creation_height,
        completion_time=timestamp_to_proto(e.completion_time),
        initial_balance=str(e.initial_balance),
        shares_dst=e.shares_dst.to_proto_str(),
        unbonding_id=e.unbonding_id,
    )


def red_from_proto(pb: staking_pb2.Redelegation) -> Redelegation:
    return Redelegation(
        delegator=acc_address_from_bech32(pb.delegator_address),
        validator_src=val_address_from_bech32(pb.validator_src_address),
        validator_dst=val_address_from_bech32(pb.validator_dst_address),
        entries=tuple(
            RedelegationEntry(
                creation_height=e.creation_height,
                completion_time=timestamp_from_proto(e.completion_time),
                initial_balance=Int.from_proto_str(e.initial_balance or "0"),
                shares_dst=Dec.from_proto_str(e.shares_dst or "0"),
                unbonding_id=e.unbonding_id,
            )
            for e in pb.entries
        ),
    )


def params_to_proto(p: Params) -> staking_pb2.Params:
    return staking_pb2.Params(
        unbonding_time=duration_to_proto(p.unbonding_time),
        max_validators=p.max_validators,
        max_entries=p.max_entries,
        historical_entries=p.historical_entries,
        bond_denom=p.bond_denom,
        min_commission_rate=p.min_commission_rate.to_proto_str(),
    )


def params_from_proto(pb: staking_pb2.Params) -> Params:
    return Params(
        unbonding_time=duration_from_proto(pb.unbonding_time),
        max_validators=pb.max_validators,
        max_entries=pb.max_entries,
        historical_entries=pb.historical_entries,
        bond_denom=pb.bond_denom,
        min_commission_rate=Dec.from_proto_str(pb.min_commission_rate or "0"),
    )


# ---- typed access ---------------------------------------------------------------------------


# Alliance delegates read the same validator and the module's delegation several times per tx.


@decoded_by_stored_bytes
def _decode_validator(raw: bytes) -> Validator:
    return validator_from_proto(staking_pb2.Validator.FromString(raw))


@decoded_by_stored_bytes
def _decode_delegation(raw: bytes) -> Delegation:
    return delegation_from_proto(staking_pb2.Delegation.FromString(raw))


def get_params(store: KVStore) -> Params:
    raw = store.get(PARAMS_KEY)
    return Params() if raw is None else params_from_proto(staking_pb2.Params.FromString(raw))


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params_to_proto(params).SerializeToString(deterministic=True))


def get_validator(store: KVStore, operator: bytes) -> Validator | None:
    raw = store.get(validator_key(operator))
    return None if raw is None else _decode_validator(raw)


def set_validator(store: KVStore, validator: Validator) -> None:
    pb = validator_to_proto(validator)
    store.set(validator_key(validator.operator), pb.SerializeToString(deterministic=True))


def iterate_validators(store: KVStore) -> Iterator[Validator]:
    """Every validator, in operator key order."""
    for _, raw in iterate_prefix_list(store, VALIDATORS_PREFIX):
        yield _decode_validator(raw)


def get_delegation(store: KVStore, delegator: bytes, operator: bytes) -> Delegation | None:
    raw = store.get(delegation_key(delegator, operator))
    return None if raw is None else _decode_delegation(raw)


def set_delegation(store: KVStore, delegation: Delegation) -> None:
    key = delegation_key(delegation.delegator, delegation.validator)
    store.set(key, delegation_to_proto(delegation).SerializeToString(deterministic=True))


def iterate_delegations(store: KVStore, prefix: bytes = DELEGATION_PREFIX) -> Iterator[Delegation]:
    for _, raw in iterate_prefix_list(store, prefix):
        yield _decode_delegation(raw)


def get_ubd(store: KVStore, delegator: bytes, operator: bytes) -> UnbondingDelegation | None:
    raw = store.get(ubd_key(delegator, operator))
    if raw is None:
        return None
    return ubd_from_proto(staking_pb2.UnbondingDelegation.FromString(raw))


def set_ubd(store: KVStore, ubd: UnbondingDelegation) -> None:
    raw = ubd_to_proto(ubd).SerializeToString(deterministic=True)
    store.set(ubd_key(ubd.delegator, ubd.validator), raw)
    store.set(ubd_by_val_key(ubd.validator, ubd.delegator), b"")


def remove_ubd(store: KVStore, ubd: UnbondingDelegation) -> None:
    store.delete(ubd_key(ubd.delegator, ubd.validator))
    store.delete(ubd_by_val_key(ubd.validator, ubd.delegator))


def iterate_ubds(
    store: KVStore, prefix: bytes = UNBONDING_DELEGATION_PREFIX
) -> Iterator[UnbondingDelegation]:
    for _, raw in iterate_prefix_list(store, prefix):
        yield ubd_from_proto(staking_pb2.UnbondingDelegation.FromString(raw))


def get_red(store: KVStore, delegator: bytes, src: bytes, dst: bytes) -> Redelegation | None:
    raw = store.get(red_key(delegator, src, dst))
    if raw is None:
        return None
    return red_from_proto(staking_pb2.Redelegation.FromString(raw))


def set_red(store: KVStore, red: Redelegation) -> None:
    raw = red_to_proto(red).SerializeToString(deterministic=True)
    store.set(red_key(red.delegator, red.validator_src, red.validator_dst), raw)
    store.set(red_by_src_key(red.validator_src, red.delegator, red.validator_dst), b"")
    store.set(red_by_dst_key(red.validator_dst, red.delegator, red.validator_src), b"")


def remove_red(store: KVStore, red: Redelegation) -> None:
    store.delete(red_key(red.delegator, red.validator_src, red.validator_dst))
    store.delete(red_by_src_key(red.validator_src, red.delegator, red.validator_dst))
    store.delete(red_by_dst_key(red.validator_dst, red.delegator, red.validator_src))


def iterate_reds(store: KVStore, prefix: bytes = REDELEGATION_PREFIX) -> Iterator[Redelegation]:
    for _, raw in iterate_prefix_list(store, prefix):
        yield red_from_proto(staking_pb2.Redelegation.FromString(raw))


def get_int(store: KVStore, key: bytes) -> int:
    raw = store.get(key)
    return 0 if raw is None else int(raw)


def set_int(store: KVStore, key: bytes, value: int) -> None:
    store.set(key, str(value).encode())
