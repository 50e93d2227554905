"""Lock forgets, at the vault level: after close, no copy of the key is left in memory.

Read as an attacker with the process's memory would (``/proc/self/mem``): the raw
32 key bytes, their hex (what ``PRAGMA key = "x'…'"`` used to carry) and the whole
``x'<key><salt>'`` literal. This runs in the test process itself, with Python's usual
allocator: it passes only because no unwiped copy of the key is ever made — freed
memory keeps its bytes, so dropping a copy would not be enough.
"""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw

from nco_desktop.vault import TEST_KDF, Vault, VaultClosed, VaultKey
from nco_desktop.vault.kdf import derive_key, new_salt
from nco_desktop.vault.wiping import key_literal, wipe_bytes
from tests.conftest import PASSPHRASE
from tests.support.process_memory import find_in_memory, shifted, shifted_hex

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/mem")


def needles_for(key: VaultKey) -> dict[str, bytes]:
    """What to look for, shifted (see tests.support.process_memory), from a key copy."""
    return {
        "raw key": shifted(key.key),
        "hex key": shifted_hex(key.key),
        "HEX KEY": shifted_hex(key.key).upper(),  # shifting commutes with upper-casing
    }


def test_derived_key_is_argon2id_of_the_nfc_passphrase():
    """Calling Argon2 directly (to write into our buffer) gives argon2-cffi's answer."""
    salt = new_salt(TEST_KDF)
    ours = derive_key("Cafe\u0301 passphrase", salt, TEST_KDF)
    theirs = hash_secret_raw(
        "Café passphrase".encode(),
        salt,
        time_cost=TEST_KDF.time_cost,
        memory_cost=TEST_KDF.memory_kib,
        parallelism=TEST_KDF.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    assert isinstance(ours, bytearray)
    assert ours == theirs


def test_key_literal_is_sqlciphers_raw_key_form():
    key, salt = bytearray(range(32)), bytes(range(100, 116))
    assert key_literal(key, salt) == f"x'{bytes(key).hex()}{salt.hex()}'".encode()


def test_wipe_bytes_overwrites_an_object_only_we_hold():
    data = bytes(bytearray(b"some secret words"))  # a fresh object, not the constant
    wipe_bytes(data)
    assert data == bytes(17)
    one = b"a"  # the interpreter's shared one-byte object: never touched
    wipe_bytes(one)
    assert one == b"a"


@linux_only
def test_closing_the_vault_leaves_no_copy_of_the_key_in_memory(vault_path: Path, tmp_path: Path):
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF).close()
    vault = Vault.open(vault_path, PASSPHRASE)
    lent = vault.vault_key()
    needles = needles_for(lent)
    literal_start = shifted(b"x'") + needles["hex key"]
    needles["x'<hex key>"] = literal_start
    lent.wipe()
    del lent
    assert find_in_memory(needles)["raw key"], "the search must find the live key"

    # Use it as the window does: a second connection on another thread, a backup (a
    # third connection), settings written and read.
    def on_a_thread() -> None:
        with Vault.open_with_key(vault.vault_key()) as other:
            other.set_settings({"checked": True})

    thread = threading.Thread(target=on_a_thread)
    thread.start()
    thread.join()
    clone = vault.clone()
    assert clone.setting("checked") is True
    clone.close()
    vault.backup_to(tmp_path / "backup.ncovault")
    buffer = vault._key  # the one buffer the open vault keeps its key in

    vault.close()
    assert buffer == bytearray(32)
    with pytest.raises(VaultClosed):
        vault.vault_key()
    gc.collect()
    found = find_in_memory(needles)
    assert found == {name: [] for name in needles}, found


@linux_only
def test_a_passphrase_change_forgets_the_old_key_and_close_the_new(vault_path: Path):
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF).close()
    vault = Vault.open(vault_path, PASSPHRASE)
    old = vault.vault_key()
    needles = {f"old {name}": value for name, value in needles_for(old).items()}
    old.wipe()
    vault.change_passphrase("a brand new passphrase here")
    new = vault.vault_key()
    needles |= {f"new {name}": value for name, value in needles_for(new).items()}
    new.wipe()
    del old, new
    gc.collect()
    found = find_in_memory(needles)
    assert not any(found[name] for name in needles if name.startswith("old")), found
    assert found["new raw key"], "the open vault still holds its new key"
    vault.close()
    gc.collect()
    found = find_in_memory(needles)
    assert found == {name: [] for name in needles}, found


def test_a_dropped_key_wipes_itself_and_a_wiped_key_opens_nothing(vault_path: Path):
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF).close()
    key = Vault.derive_key(vault_path, PASSPHRASE)
    buffer = key.key
    with Vault.open_with_key(key) as vault:
        assert vault.schema_version > 0
    assert any(buffer), "opening copies the key: the caller's copy is still theirs"
    key.wipe()
    assert key.wiped
    with pytest.raises(VaultClosed):
        Vault.open_with_key(key)
    again = Vault.derive_key(vault_path, PASSPHRASE)
    buffer = again.key
    del again
    assert buffer == bytearray(32)
