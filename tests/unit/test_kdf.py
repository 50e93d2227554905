import os
import unicodedata

import pytest

from nco_desktop.vault import DEFAULT_KDF, TEST_KDF, Vault, WeakPassphrase
from nco_desktop.vault.connection import inspect_vault_file
from nco_desktop.vault.kdf import check_new_passphrase, new_salt, params_from_salt


def test_salt_carries_the_parameters_and_stays_random() -> None:
    salts = {new_salt(DEFAULT_KDF) for _ in range(50)}
    assert len(salts) == 50
    assert all(params_from_salt(s) == DEFAULT_KDF for s in salts)
    # no constant prefix that would mark the file as one of ours
    assert len({s[:4] for s in salts}) == 50
    assert len({s[-5:] for s in salts}) == 50


def test_random_bytes_are_almost_never_taken_for_a_vault() -> None:
    hits = sum(params_from_salt(os.urandom(16)) is not None for _ in range(20_000))
    assert hits <= 2


def test_default_kdf_is_memory_hard_and_recorded_in_the_file(tmp_path) -> None:
    assert DEFAULT_KDF.memory_kib >= 256 * 1024
    assert DEFAULT_KDF.time_cost >= 3
    path = tmp_path / "v.ncovault"
    Vault.create(path, "a strong passphrase", kdf=DEFAULT_KDF).close()
    info = inspect_vault_file(path)
    assert info.kdf == DEFAULT_KDF
    assert path.stat().st_size % DEFAULT_KDF.page_size == 0


def test_passphrase_unicode_form_does_not_matter(tmp_path) -> None:
    composed = unicodedata.normalize("NFC", "contraseña segura")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    path = tmp_path / "v.ncovault"
    Vault.create(path, composed, kdf=TEST_KDF).close()
    Vault.open(path, decomposed).close()


@pytest.mark.parametrize("weak", ["", "       ", "short"])
def test_weak_new_passphrases_are_refused_before_anything_is_written(tmp_path, weak) -> None:
    assert check_new_passphrase(weak)
    with pytest.raises(WeakPassphrase):
        Vault.create(tmp_path / "v.ncovault", weak, kdf=TEST_KDF)
    assert list(tmp_path.iterdir()) == []
