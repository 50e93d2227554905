"""Unlock cost: the deliberate key derivation against SQLCipher's own default KDF.

Goal (issue 2): unlock ≤ 1.5 s including the KDF; each guess ~0.5–1 s (SQLCipher's
default PBKDF2-SHA512 at 256,000 rounds costs ~0.1 s here).
Run: .venv/bin/python benchmarks/bench_unlock.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlcipher3

from benchmarks._common import median_seconds, scratch
from nco_desktop.vault import DEFAULT_KDF, Vault
from nco_desktop.vault.kdf import derive_key, new_salt

PASSPHRASE = "correct horse battery staple"


def sqlcipher_default_open(path: Path) -> None:
    conn = sqlcipher3.connect(os.fspath(path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def main() -> None:
    with scratch() as folder:
        reference = folder / "reference.db"
        conn = sqlcipher3.connect(os.fspath(reference))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        conn.execute("CREATE TABLE t (x)")
        conn.close()
        vault_path = folder / "bench.ncovault"
        Vault.create(vault_path, PASSPHRASE, kdf=DEFAULT_KDF).close()
        salt = new_salt(DEFAULT_KDF)

        ref = median_seconds(lambda: sqlcipher_default_open(reference), 5)
        kdf = median_seconds(lambda: derive_key(PASSPHRASE, salt, DEFAULT_KDF), 5)
        unlock = median_seconds(lambda: Vault.open(vault_path, PASSPHRASE).close(), 5)
        print(f"KDF: {DEFAULT_KDF.describe()}")
        print(f"SQLCipher default KDF open (reference): {ref:6.3f} s per guess")
        print(
            f"Argon2id key derivation:                 {kdf:6.3f} s per guess "
            f"({kdf / ref:4.1f}× the reference)"
        )
        print(
            f"Vault.open, whole unlock:                {unlock:6.3f} s "
            f"({unlock / ref:4.1f}× the reference; goal ≤ 1.5 s)"
        )


if __name__ == "__main__":
    main()
