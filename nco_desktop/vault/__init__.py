"""Encrypted storage: the SQLCipher vault file, its blobs and its audit log."""

from nco_desktop.vault.errors import (
    NotAVault,
    VaultClosed,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultNotFound,
    VaultTooNew,
    WeakPassphrase,
    WrongPassphrase,
)
from nco_desktop.vault.kdf import DEFAULT_KDF, TEST_KDF, KdfParams
from nco_desktop.vault.vault import NO_RECOVERY_WARNING, VAULT_SUFFIX, Change, Vault, VaultKey

__all__ = [
    "DEFAULT_KDF",
    "NO_RECOVERY_WARNING",
    "TEST_KDF",
    "VAULT_SUFFIX",
    "Change",
    "KdfParams",
    "NotAVault",
    "Vault",
    "VaultClosed",
    "VaultDamaged",
    "VaultError",
    "VaultExists",
    "VaultKey",
    "VaultNotFound",
    "VaultTooNew",
    "WeakPassphrase",
    "WrongPassphrase",
]
