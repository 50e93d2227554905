"""Key material kept where it can be overwritten, and overwritten when it is done with.

"Lock forgets" (DESIGN.md invariant 9): after a lock, no copy of the vault key may stay
readable in the program's memory. Freed memory is not cleared — it keeps its bytes until
something else happens to reuse it — so every copy of the key we make must be
overwritten *before* it is let go, not merely dropped:

* the raw key lives in a ``bytearray`` (mutable, one buffer, never resized), which
  Argon2 writes into directly and which the vault zeroes on close;
* SQLCipher gets the key as ``x'<hex key><hex salt>'`` built in another ``bytearray``,
  handed over through sqlcipher3's ``set_key`` (or bound to ``ATTACH … KEY ?``), and
  zeroed at once. No Python ``str`` of the key is ever made: a ``str`` cannot be
  overwritten safely, and ``f"PRAGMA key = …"`` used to leave 3–9 copies behind
  (the f-string, ``bytes.hex()`` results, the statement cache's key);
* SQLCipher zeroes its own copies of the key when the connection closes.

Python ``bytes`` are immutable in the language, but a ``bytes`` object that only we
hold (the UTF-8 of a passphrase) can still be overwritten in place: see
:func:`wipe_bytes`.
"""

from __future__ import annotations

import ctypes
import sys

_HEX = b"0123456789abcdef"


def wipe(buffer: bytearray) -> None:
    """Overwrite *buffer* with zeros in place (its length stays: no reallocation)."""
    if buffer:
        ctypes.memset((ctypes.c_char * len(buffer)).from_buffer(buffer), 0, len(buffer))


def is_wiped(buffer: bytearray) -> bool:
    return not any(buffer)


def wipe_bytes(data: bytes) -> None:
    """Overwrite a ``bytes`` object that nobody else holds, in place.

    ``bytes`` are immutable in Python, yet the UTF-8 of a passphrase has to be a
    ``bytes`` for a moment (``str.encode`` makes one). On CPython a ``bytes`` object is
    a header followed by its data and one trailing NUL, so the data starts at
    ``sys.getsizeof(data) - len(data) - 1`` bytes from the object's address (``id``).
    This is safe only for an object made by the caller and shared with no one: never
    for the cached empty and one-byte objects, which the whole interpreter shares
    (skipped here), and only on CPython, whose layout this is (elsewhere: nothing).
    """
    if type(data) is not bytes or len(data) < 2 or sys.implementation.name != "cpython":
        return
    start = id(data) + sys.getsizeof(data) - len(data) - 1
    ctypes.memset(start, 0, len(data))


def key_literal(key: bytearray, salt: bytes) -> bytearray:
    """SQLCipher's raw-key form ``x'<hex key><hex salt>'``, built byte by byte into a
    fresh ``bytearray`` so that no plain hex string is ever made. Wipe it after use."""
    out = bytearray(3 + 2 * (len(key) + len(salt)))
    out[0], out[1], out[-1] = ord("x"), ord("'"), ord("'")
    at = 2
    for part in (key, salt):
        for byte in part:
            out[at] = _HEX[byte >> 4]
            out[at + 1] = _HEX[byte & 15]
            at += 2
    return out
