"""Timestamps and durations as integer nanoseconds, in protobuf, RFC 3339 and proto-JSON forms."""

import datetime

import pytest
from google.protobuf import duration_pb2, timestamp_pb2
from hypothesis import given
from hypothesis import strategies as st

from app.types import (
    GO_ZERO_TIME,
    HOUR,
    MILLISECOND,
    MINUTE,
    SECOND,
    Duration,
    Timestamp,
    duration_from_proto,
    duration_to_proto,
    format_duration,
    format_rfc3339,
    parse_duration,
    parse_rfc3339,
    timestamp_from_proto,
    timestamp_to_proto,
)

MIN_SECONDS = -62_135_596_800  # 0001-01-01T00:00:00Z
MAX_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z
timestamps = st.integers(min_value=MIN_SECONDS * SECOND, max_value=(MAX_SECONDS + 1) * SECOND - 1)
int64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)


def test_go_zero_time() -> None:
    assert GO_ZERO_TIME == MIN_SECONDS * SECOND
    assert format_rfc3339(GO_ZERO_TIME) == "0001-01-01T00:00:00Z"
    assert parse_rfc3339("0001-01-01T00:00:00Z") == GO_ZERO_TIME
    pb = timestamp_to_proto(GO_ZERO_TIME)
    assert (pb.seconds, pb.nanos) == (MIN_SECONDS, 0)
    assert timestamp_from_proto(pb) == GO_ZERO_TIME


@pytest.mark.parametrize(
    ("ts", "text"),
    [
        (0, "1970-01-01T00:00:00Z"),
        (1, "1970-01-01T00:00:00.000000001Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"),
        (1_704_067_200 * SECOND, "2024-01-01T00:00:00Z"),
        (1_709_251_199 * SECOND + 500_000_000, "2024-02-29T23:59:59.5Z"),
        (951_782_400 * SECOND + 120_000_000, "2000-02-29T00:00:00.12Z"),
        (MAX_SECONDS * SECOND + 999_999_999, "9999-12-31T23:59:59.999999999Z"),
    ],
)
def test_rfc3339_known_values(ts: int, text: str) -> None:
    assert format_rfc3339(Timestamp(ts)) == text
    assert parse_rfc3339(text) == ts


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-01-01T02:30:00+02:30", "2024-01-01T00:00:00Z"),
        ("2023-12-31T19:00:00-05:00", "2024-01-01T00:00:00Z"),
        ("2024-01-01T00:00:00.100+00:00", "2024-01-01T00:00:00.1Z"),
        ("2024-01-01T00:00:00.000000000Z", "2024-01-01T00:00:00Z"),
    ],
)
def test_rfc3339_offsets_and_fractions(text: str, utc: str) -> None:
    assert format_rfc3339(parse_rfc3339(text)) == utc


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-01-01",
        "2024-01-01T00:00:00",  # no zone
        "2024-01-01 00:00:00Z",
        "2024-01-01t00:00:00Z",
        "2024-01-01T00:00:00z",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.1234567890Z",  # 10 fraction digits
        "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z",
        "2024-01-01T00:00:60Z",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00+0100",
        "24-01-01T00:00:00Z",
        "２０２４-01-01T00:00:00Z",
    ],
)
def test_rfc3339_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rfc3339(text)


def test_format_rejects_years_beyond_9999() -> None:
    with pytest.raises(ValueError):
        format_rfc3339(Timestamp((MAX_SECONDS + 1) * SECOND))


@given(timestamps)
def test_rfc3339_round_trip(ts: int) -> None:
    assert parse_rfc3339(format_rfc3339(Timestamp(ts))) == ts


@given(timestamps.map(lambda ns: ns - ns % SECOND))
def test_calendar_matches_python_datetime(ts: int) -> None:
    # Whole seconds only: datetime holds microseconds, our values nanoseconds.
    moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
        seconds=ts // SECOND
    )
    assert format_rfc3339(Timestamp(ts)) == moment.strftime("%Y-%m-%dT%H:%M:%SZ").rjust(20, "0")


# ---- protobuf ---------------------------------------------------------------------------------


@given(timestamps)
def test_timestamp_proto_round_trip(ts: int) -> None:
    pb = timestamp_to_proto(Timestamp(ts))
    assert 0 <= pb.nanos < SECOND
    assert timestamp_from_proto(pb) == ts


def test_timestamp_proto_before_epoch_keeps_nanos_positive() -> None:
    pb = timestamp_to_proto(Timestamp(-1))
    assert (pb.seconds, pb.nanos) == (-1, 999_999_999)


@pytest.mark.parametrize(
    ("seconds", "nanos"), [(0, -1), (0, SECOND), (MIN_SECONDS - 1, 0), (MAX_SECONDS + 1, 0)]
)
def test_timestamp_proto_out_of_range(seconds: int, nanos: int) -> None:
    with pytest.raises(ValueError):
        timestamp_from_proto(timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos))


@given(int64)
def test_duration_proto_round_trip(d: int) -> None:
    pb = duration_to_proto(Duration(d))
    assert pb.seconds * pb.nanos >= 0
    assert duration_from_proto(pb) == d


def test_duration_proto_signs() -> None:
    pb = duration_to_proto(Duration(-1_500_000_000))
    assert (pb.seconds, pb.nanos) == (-1, -500_000_000)
    for seconds, nanos in ((1, -1), (-1, 1), (0, SECOND), (2**62, 0)):
        with pytest.raises(ValueError):
            duration_from_proto(duration_pb2.Duration(seconds=seconds, nanos=nanos))


# ---- duration text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (300 * SECOND, "300s"),
        (0, "0s"),
        (SECOND // 2, "0.500s"),
        (1_500 * MILLISECOND, "1.500s"),
        (1_000, "0.000001s"),
        (1, "0.000000001s"),
        (-SECOND // 2, "-0.500s"),
        (-1, "-0.000000001s"),
        (1_814_400 * SECOND, "1814400s"),
    ],
)
def test_format_duration_proto_json(d: int, text: str) -> None:
    assert format_duration(Duration(d)) == text
    assert parse_duration(text) == d


@pytest.mark.parametrize(
    ("text", "d"),
    [
        ("300s", 300 * SECOND),
        ("1.5s", 1_500 * MILLISECOND),
        ("0.5s", 500 * MILLISECOND),
        ("-0.5s", -500 * MILLISECOND),
        ("+2s", 2 * SECOND),
        ("1h2m3s", HOUR + 2 * MINUTE + 3 * SECOND),
        ("500ms", 500 * MILLISECOND),
        ("1.5h", 90 * MINUTE),
        ("2h45m", 2 * HOUR + 45 * MINUTE),
        ("1us", 1_000),
        ("1µs", 1_000),
        ("1μs", 1_000),
        ("7ns", 7),
        ("1.5ns", 1),
        (".5s", 500 * MILLISECOND),
        ("1.s", SECOND),
        ("0", 0),
        ("-0", 0),
        ("504h", 21 * 24 * HOUR),
        ("2562047h47m16.854775807s", 2**63 - 1),
    ],
)
def test_parse_duration(text: str, d: int) -> None:
    assert parse_duration(text) == d


@pytest.mark.parametrize(
    "text",
    ["", "s", "1", "21d", "1 s", "1.5", "1sec", "-", ".s", "1h-2m", "1e3s", "1H", " 1s",
     "2562047h47m16.854775808s"],
)  # fmt: skip
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@given(int64)
def test_duration_text_round_trip(d: int) -> None:
    assert parse_duration(format_duration(Duration(d))) == d
