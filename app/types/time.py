"""Times and durations as integer nanoseconds, with their protobuf and text forms.

A `Timestamp` counts nanoseconds since 1970-01-01T00:00:00Z (negative before it); a `Duration`
counts nanoseconds. Both are plain `int`s, so adding a duration to a time is exact. The text forms
are Go's: RFC 3339 with nanoseconds (`time.RFC3339Nano`) for times and proto-JSON seconds
("300s", "1.500s") for durations; `parse_duration` also reads Go's "1h2m3s" notation. The calendar
arithmetic is integer-only (proleptic Gregorian, as Go's `time`), so nothing is rounded.
"""

import re
from typing import Final, NewType

from google.protobuf import duration_pb2, timestamp_pb2

Timestamp = NewType("Timestamp", int)
Duration = NewType("Duration", int)

NANOSECOND: Final = 1
MICROSECOND: Final = 1_000
MILLISECOND: Final = 1_000_000
SECOND: Final = 1_000_000_000
"""Nanoseconds in a second."""
MINUTE: Final = 60 * SECOND
HOUR: Final = 60 * MINUTE

_SECONDS_PER_DAY: Final = 86_400
_MIN_PROTO_SECONDS: Final = -62_135_596_800
"""0001-01-01T00:00:00Z, the earliest time a google.protobuf.Timestamp may hold."""
_MAX_PROTO_SECONDS: Final = 253_402_300_799
"""9999-12-31T23:59:59Z, the latest whole second a google.protobuf.Timestamp may hold."""
_MAX_DURATION: Final = 2**63 - 1
"""Go's `time.Duration` is an int64 of nanoseconds."""

GO_ZERO_TIME: Final = Timestamp(_MIN_PROTO_SECONDS * SECOND)
"""Go's zero `time.Time`, 0001-01-01T00:00:00Z (not the Unix epoch: protobuf's default)."""


# ---- calendar ---------------------------------------------------------------------------------


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """The (year, month, day) that is `days` after 1970-01-01 (inverse of `_days_from_civil`)."""
    days += 719_468
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + (3 if month_index < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


# ---- protobuf ---------------------------------------------------------------------------------


def timestamp_from_proto(pb: timestamp_pb2.Timestamp) -> Timestamp:
    """seconds * 10^9 + nanos, for a Timestamp between years 1 and 9999 with 0 <= nanos < 10^9.

    Raises `ValueError` outside those bounds (as gogoproto's `StdTimeUnmarshal` does).
    """
    if not 0 <= pb.nanos < SECOND:
        raise ValueError(f"timestamp nanos {pb.nanos} outside [0, 1e9)")
    if not _MIN_PROTO_SECONDS <= pb.seconds <= _MAX_PROTO_SECONDS:
        raise ValueError(f"timestamp seconds {pb.seconds} outside years 0001..9999")
    return Timestamp(pb.seconds * SECOND + pb.nanos)


def timestamp_to_proto(ts: Timestamp) -> timestamp_pb2.Timestamp:
    """Splits into whole seconds and 0 <= nanos < 10^9 (seconds round toward -infinity)."""
    # Floor division on purpose: protobuf keeps nanos non-negative, even before 1970.
    seconds, nanos = divmod(ts, SECOND)
    return timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos)


def duration_from_proto(pb: duration_pb2.Duration) -> Duration:
    """seconds * 10^9 + nanos, where nanos has the sign of seconds and |nanos| < 10^9.

    Raises `ValueError` on a malformed value or one beyond Go's int64 nanoseconds.
    """
    if not -SECOND < pb.nanos < SECOND or pb.seconds * pb.nanos < 0:
        raise ValueError(f"duration nanos {pb.nanos} do not fit seconds {pb.seconds}")
    return _checked_duration(pb.seconds * SECOND + pb.nanos)


def duration_to_proto(d: Duration) -> duration_pb2.Duration:
    """Splits into seconds and nanos that both carry the sign of d (truncation toward zero)."""
    seconds, nanos = divmod(abs(d), SECOND)
    sign = -1 if d < 0 else 1
    return duration_pb2.Duration(seconds=sign * seconds, nanos=sign * nanos)


def _checked_duration(nanoseconds: int) -> Duration:
    if not -_MAX_DURATION - 1 <= nanoseconds <= _MAX_DURATION:
        raise ValueError(f"duration of {nanoseconds}ns overflows Go's int64 nanoseconds")
    return Duration(nanoseconds)


# ---- RFC 3339 ---------------------------------------------------------------------------------

_RFC3339: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)


def format_rfc3339(ts: Timestamp) -> str:
    """Go's `time.RFC3339Nano` in UTC: "2024-01-02T03:04:05.5Z", trailing fraction zeros trimmed.

    Raises `ValueError` for years outside 0000..9999 (Go's `MarshalJSON` refuses them too).
    """
    seconds, nanos = divmod(ts, SECOND)
    days, second_of_day = divmod(seconds, _SECONDS_PER_DAY)
    year, month, day = _civil_from_days(days)
    if not 0 <= year <= 9999:
        raise ValueError(f"year {year} outside 0000..9999")
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    fraction = f".{nanos:09d}".rstrip("0") if nanos else ""
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{fraction}Z"


def parse_rfc3339(text: str) -> Timestamp:
    """Parses RFC 3339 ("…Z" or "…+02:00", up to 9 fraction digits) as Go's `time.RFC3339Nano`.

    Raises `ValueError` on any other form or an impossible date or time of day.
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError(f"invalid RFC 3339 time: {text!r}")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7) or ""
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        raise ValueError(f"invalid date in {text!r}")
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"invalid time of day in {text!r}")
    offset = 0
    if match.group(8) is None:
        offset_hours, offset_minutes = int(match.group(10)), int(match.group(11))
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError(f"invalid time zone offset in {text!r}")
        offset = (offset_hours * 3600 + offset_minutes * 60) * (-1 if match.group(9) == "-" else 1)
    seconds = (
        _days_from_civil(year, month, day) * _SECONDS_PER_DAY
        + hour * 3600
        + minute * 60
        + second
        - offset
    )
    return Timestamp(seconds * SECOND + int(fraction.ljust(9, "0")))


# ---- durations --------------------------------------------------------------------------------

_UNITS: Final = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "µs": MICROSECOND,  # U+00B5 micro sign, as Go accepts
    "μs": MICROSECOND,  # U+03BC Greek mu, as Go accepts
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}
_DURATION: Final = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+")
_DURATION_PART: Final = re.compile(r"([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)")


def format_duration(d: Duration) -> str:
    """Proto-JSON form: seconds with 0, 3, 6 or 9 decimals and "s" ("300s", "1.500s", "-0.000001s").

    As protojson and gogoproto's jsonpb write `google.protobuf.Duration`.
    """
    seconds, nanos = divmod(abs(d), SECOND)
    sign = "-" if d < 0 else ""
    fraction = f"{nanos:09d}"
    while fraction.endswith("000"):
        fraction = fraction[:-3]
    return f"{sign}{seconds}{'.' + fraction if fraction else ''}s"


def parse_duration(text: str) -> Duration:
    """Parses "300s", "1.5s", "-0.5s", or Go's `time.ParseDuration` forms "1h2m3s", "500ms", "0".

    Units: ns, us (µs), ms, s, m, h; days are not a unit (as in Go). Fractions below a
    nanosecond are truncated toward zero. Raises `ValueError` on anything else or beyond
    int64 nanoseconds.
    """
    if text in ("0", "+0", "-0"):
        return Duration(0)
    if _DURATION.fullmatch(text) is None:
        raise ValueError(f"invalid duration: {text!r}")
    total = 0
    for whole, fraction, unit in _DURATION_PART.findall(text):
        scale = _UNITS[unit]
        digits = fraction or ""
        total += int(whole or "0") * scale + int(digits or "0") * scale // 10 ** len(digits)
    return _checked_duration(-total if text.startswith("-") else total)
