"""Search this process's own memory for secrets, without putting them there first.

Linux only: every readable region in ``/proc/self/maps`` is read through
``/proc/self/mem`` (unreadable ones, such as guard pages and ``[vvar]``, are skipped).

The searcher must not plant what it looks for: a needle kept as plain bytes would be
found in the test's own variables. So needles are kept *shifted* (every byte + 1 mod
256) and each chunk of memory is shifted the same way before it is searched. A shifted
chunk matches a shifted needle only where memory holds the real bytes; the shifted
needle itself, shifted once more, no longer matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SHIFT = bytes((b + 1) % 256 for b in range(256))
_HEX = b"0123456789abcdef"
CHUNK = 1 << 22
#: Regions that are program code or file mappings of libraries: never hold secrets we
#: made, and reading them all only slows the search.
_SKIP_SUFFIXES = (".so", ".pyc")


def shifted(data: bytes | bytearray) -> bytes:
    """*data* with every byte + 1: safe to keep in memory while searching for *data*.

    Call it on a mutable buffer (or on bytes that are already in memory anyway): the
    result never holds *data* itself."""
    return bytes(data.translate(SHIFT))


def shifted_hex(data: bytes | bytearray) -> bytes:
    """The lower-case hex of *data*, shifted, made without ever writing the plain hex."""
    out = bytearray(2 * len(data))
    for i, byte in enumerate(data):
        out[2 * i] = (_HEX[byte >> 4] + 1) % 256
        out[2 * i + 1] = (_HEX[byte & 15] + 1) % 256
    return bytes(out)


def unshift(data: bytes) -> bytes:
    """The plain bytes of a shifted needle (use only for what the test must type)."""
    return bytes((b - 1) % 256 for b in data)


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    perms: str
    name: str


def readable_regions() -> Iterator[Region]:
    with open("/proc/self/maps") as maps:
        lines = maps.read().splitlines()
    for line in lines:
        parts = line.split(maxsplit=5)
        span, perms = parts[0], parts[1]
        name = parts[5] if len(parts) > 5 else ""
        if not perms.startswith("r") or name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
            continue
        if name.endswith(_SKIP_SUFFIXES) or ".so." in name:
            continue
        start, end = (int(x, 16) for x in span.split("-"))
        yield Region(start, end, perms, name)


def find_in_memory(needles: dict[str, bytes]) -> dict[str, list[str]]:
    """For each named *shifted* needle, the regions (address and name) that hold it."""
    found: dict[str, list[str]] = {name: [] for name in needles}
    pattern = re.compile(b"|".join(re.escape(n) for n in needles.values()))
    by_value = {value: name for name, value in needles.items()}
    overlap = max(len(n) for n in needles.values()) - 1
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for region in list(readable_regions()):
            for hit in _search_region(mem, region, pattern, overlap):
                name = by_value[hit]
                where = f"{region.start:#x} {region.perms} {region.name or '[anon]'}"
                if where not in found[name]:
                    found[name].append(where)
    return found


def _search_region(
    mem: object, region: Region, pattern: re.Pattern[bytes], overlap: int
) -> Iterable[bytes]:
    tail = b""
    address = region.start
    while address < region.end:
        size = min(CHUNK, region.end - address)
        try:
            mem.seek(address)  # type: ignore[attr-defined]
            chunk = mem.read(size)  # type: ignore[attr-defined]
        except (OSError, ValueError, OverflowError):
            return
        if not chunk:
            return
        window = tail + chunk.translate(SHIFT)
        del chunk
        for match in pattern.finditer(window):
            yield match.group(0)
        tail = window[-overlap:] if overlap > 0 else b""
        address += size
