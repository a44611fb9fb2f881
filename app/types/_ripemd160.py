"""RIPEMD-160 in pure Python, for builds whose OpenSSL 3 lacks the legacy provider.

Written from the algorithm's description (Dobbertin, Bosselaers, Preneel, 1996): two parallel lines
of five 16-step rounds over each 64-byte block, combined into a 160-bit state. Slow (tens of
microseconds per block) but only used to derive account addresses from public keys.
"""

import hashlib
import struct
from collections.abc import Callable

_MASK = 0xFFFFFFFF

# Message word read at each of the 80 steps, left line then right line.
_LEFT_WORD = (
    *range(16),
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
)  # fmt: skip
_RIGHT_WORD = (
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
)  # fmt: skip
# Left-rotation amount at each step.
_LEFT_SHIFT = (
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
)  # fmt: skip
_RIGHT_SHIFT = (
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
)  # fmt: skip
# Additive constant per round (16 steps each).
_LEFT_CONSTANT = (0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E)
_RIGHT_CONSTANT = (0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000)
_INITIAL_STATE = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)

# Boolean function per round; the right line uses them in reverse round order.
_ROUND_FUNCTIONS: tuple[Callable[[int, int, int], int], ...] = (
    lambda x, y, z: x ^ y ^ z,
    lambda x, y, z: (x & y) | (~x & z),
    lambda x, y, z: (x | ~y) ^ z,
    lambda x, y, z: (x & z) | (y & ~z),
    lambda x, y, z: x ^ (y | ~z),
)


def _rotate_left(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _MASK


def _line(
    state: tuple[int, ...],
    words: tuple[int, ...],
    word_order: tuple[int, ...],
    shifts: tuple[int, ...],
    constants: tuple[int, ...],
    function_order: range,
) -> tuple[int, int, int, int, int]:
    """Runs one of the two 80-step lines over a block and returns its final (A, B, C, D, E)."""
    a, b, c, d, e = state
    for step in range(80):
        round_index = step // 16
        f = _ROUND_FUNCTIONS[function_order[round_index]]
        mixed = a + (f(b, c, d) & _MASK) + words[word_order[step]] + constants[round_index]
        rotated = (_rotate_left(mixed & _MASK, shifts[step]) + e) & _MASK
        a, b, c, d, e = e, rotated, b, _rotate_left(c, 10), d
    return a, b, c, d, e


def _compress(state: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    words = struct.unpack("<16I", block)
    al, bl, cl, dl, el = _line(state, words, _LEFT_WORD, _LEFT_SHIFT, _LEFT_CONSTANT, range(5))
    ar, br, cr, dr, er = _line(
        state, words, _RIGHT_WORD, _RIGHT_SHIFT, _RIGHT_CONSTANT, range(4, -1, -1)
    )
    h0, h1, h2, h3, h4 = state
    return (
        (h1 + cl + dr) & _MASK,
        (h2 + dl + er) & _MASK,
        (h3 + el + ar) & _MASK,
        (h4 + al + br) & _MASK,
        (h0 + bl + cr) & _MASK,
    )


def ripemd160_pure(data: bytes) -> bytes:
    """The 20-byte RIPEMD-160 digest of `data`, computed in Python.

    Padding as MD4/MD5: 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian.
    """
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", 8 * len(data))
    state: tuple[int, ...] = _INITIAL_STATE
    for offset in range(0, len(padded), 64):
        state = _compress(state, padded[offset : offset + 64])
    return struct.pack("<5I", *state)


def ripemd160(data: bytes) -> bytes:
    """RIPEMD-160 of `data`: hashlib's when OpenSSL provides it, else `ripemd160_pure`."""
    try:
        return hashlib.new("ripemd160", data).digest()
    except ValueError:  # "unsupported hash type" on OpenSSL 3 without the legacy provider
        return ripemd160_pure(data)
