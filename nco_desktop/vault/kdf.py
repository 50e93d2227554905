"""Passphrase → SQLCipher raw key, and where the key-derivation settings live.

SQLCipher's own KDF (PBKDF2-SHA512, 256,000 rounds) costs ~0.1 s per guess here. We
derive SQLCipher's 256-bit raw key with Argon2id instead (memory-hard, ~0.5–1 s), the
way KeePassXC does, and hand SQLCipher ``x'<key><salt>'``.

SQLCipher stores the 16-byte salt as the first 16 bytes of the file, unencrypted. We
use that salt to carry our settings so a future version can read (and raise) them
without the passphrase and without a second file:

    salt = R (11 random bytes) || D xor sha256(SALT_MASK_LABEL || R)[:5]
    D    = format, log2(page size), log2(memory KiB), time cost, parallelism

The mask keeps the first bytes random-looking, so the file carries no constant
signature that tells a casual searcher "this is an NCO vault"; decoding a random file
almost never yields settings inside :data:`PARAMETER_LIMITS`, which is how we tell a
vault from some other file before asking for the passphrase. 88 random bits are ample
for a salt, whose job is only to be unique per file.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass

from argon2.exceptions import HashingError
from argon2.low_level import ARGON2_VERSION, Type, error_to_str, ffi, lib

from nco_desktop.vault.wiping import key_literal, wipe, wipe_bytes

SALT_SIZE = 16
RANDOM_PART = 11
DESCRIPTOR_SIZE = SALT_SIZE - RANDOM_PART
SALT_MASK_LABEL = b"nco-desktop vault salt v1"
KEY_SIZE = 32

#: Format 1: Argon2id (v1.3) → SQLCipher 4 raw key, SQLCipher 4 defaults otherwise.
FORMAT_ARGON2ID_SQLCIPHER4 = 1

#: Inclusive ranges a real descriptor falls in. Tight on purpose: see module docstring.
PARAMETER_LIMITS = {
    "log2_page_size": (12, 16),  # 4 KiB … 64 KiB
    "log2_memory_kib": (3, 22),  # 8 KiB (tests only) … 4 GiB
    "time_cost": (1, 32),
    "parallelism": (1, 16),
}


#: What this program ever asks of a computer to unlock a vault: four times the memory
#: and twice the passes it writes by default. A file that asks for more (up to 4 GiB
#: and 32 passes fit in a descriptor) is refused before any memory is spent: a planted
#: header must not make "wrong passphrase" cost 4 GiB (issue #16).
USUAL_LIMITS = {
    "log2_memory_kib": (3, 20),  # … 1 GiB
    "time_cost": (1, 12),
    "parallelism": (1, 8),
}


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost settings and the SQLCipher page size they travel with."""

    log2_memory_kib: int
    time_cost: int
    parallelism: int
    log2_page_size: int = 14  # 16 KiB: see benchmarks/bench_blob_write.py

    @property
    def memory_kib(self) -> int:
        return 1 << self.log2_memory_kib

    @property
    def page_size(self) -> int:
        return 1 << self.log2_page_size

    @property
    def usual(self) -> bool:
        """Whether unlocking with these settings asks no more than :data:`USUAL_LIMITS`."""
        return all(low <= getattr(self, n) <= high for n, (low, high) in USUAL_LIMITS.items())

    def describe(self) -> str:
        return (
            f"Argon2id, {self.memory_kib // 1024} MiB, {self.time_cost} passes, "
            f"{self.parallelism} lanes; {self.page_size // 1024} KiB pages"
        )


#: ~0.57 s per guess measured here (benchmarks/bench_unlock.py), and about twice that
#: on the slowest machine FACTS.md records, still inside the 1.5 s unlock budget.
#: 256 MiB so that guessing on GPUs is expensive too.
DEFAULT_KDF = KdfParams(log2_memory_kib=18, time_cost=5, parallelism=2)

#: For tests only: fast, and still exercises every code path.
TEST_KDF = KdfParams(log2_memory_kib=10, time_cost=1, parallelism=1)


def _mask(random_part: bytes) -> bytes:
    return hashlib.sha256(SALT_MASK_LABEL + random_part).digest()[:DESCRIPTOR_SIZE]


def new_salt(params: KdfParams) -> bytes:
    """A fresh salt that carries *params*."""
    random_part = os.urandom(RANDOM_PART)
    descriptor = bytes(
        [
            FORMAT_ARGON2ID_SQLCIPHER4,
            params.log2_page_size,
            params.log2_memory_kib,
            params.time_cost,
            params.parallelism,
        ]
    )
    masked = bytes(a ^ b for a, b in zip(descriptor, _mask(random_part), strict=True))
    return random_part + masked


def params_from_salt(salt: bytes) -> KdfParams | None:
    """The settings a salt carries, or None when these 16 bytes are not one of ours."""
    if len(salt) != SALT_SIZE:
        return None
    random_part, masked = salt[:RANDOM_PART], salt[RANDOM_PART:]
    fmt, log2_page, log2_mem, t, p = (
        a ^ b for a, b in zip(masked, _mask(random_part), strict=True)
    )
    if fmt != FORMAT_ARGON2ID_SQLCIPHER4:
        return None
    params = KdfParams(
        log2_memory_kib=log2_mem, time_cost=t, parallelism=p, log2_page_size=log2_page
    )
    for name, (low, high) in PARAMETER_LIMITS.items():
        if not low <= getattr(params, name) <= high:
            return None
    return params


def normalize_passphrase(passphrase: str) -> bytes:
    """UTF-8 of the NFC form, so the same passphrase typed on another OS still unlocks."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
    """The 32-byte SQLCipher raw key, in a buffer the caller owns and must wipe.

    Deliberately slow (see DEFAULT_KDF). argon2-cffi's ``hash_secret_raw`` returns an
    immutable ``bytes`` and leaves its own copy of the passphrase in freed memory, so
    we call the same C function (``argon2_hash``) with our buffers: Argon2 writes the
    key straight into the ``bytearray`` we return, reads the passphrase's UTF-8 from
    the one ``bytes`` object we then overwrite, and clears its own working memory.
    """
    secret = normalize_passphrase(passphrase)
    key = bytearray(KEY_SIZE)
    try:
        rv = lib.argon2_hash(
            params.time_cost,
            params.memory_kib,
            params.parallelism,
            ffi.from_buffer(secret),
            len(secret),
            ffi.from_buffer(salt),
            len(salt),
            ffi.from_buffer(key, require_writable=True),
            KEY_SIZE,
            ffi.NULL,
            0,
            Type.ID.value,
            ARGON2_VERSION,
        )
    finally:
        wipe_bytes(secret)
    if rv != lib.ARGON2_OK:
        wipe(key)
        raise HashingError(error_to_str(rv))
    return key


def sqlcipher_key_literal(key: bytearray, salt: bytes) -> bytearray:
    """The PRAGMA key / ATTACH KEY value for a raw key with an explicit salt, as a
    ``bytearray`` to pass to ``set_key`` or bind, and to wipe right after."""
    return key_literal(key, salt)


MIN_PASSPHRASE_CHARS = 8


def check_new_passphrase(passphrase: str) -> str | None:
    """Why *passphrase* is refused for a new vault, or None when it is acceptable."""
    if not passphrase.strip():
        return "The passphrase is empty."
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return (
            f"The passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters. "
            "A few unrelated words make a strong one that is easy to remember."
        )
    return None
