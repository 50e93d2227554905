"""Errors raised while creating, opening or changing a vault."""

from nco_desktop.errors import NcoError


class VaultError(NcoError):
    """Base for every vault problem."""


class VaultNotFound(VaultError):
    """There is no file at the path the user gave."""


class VaultExists(VaultError):
    """Creating or backing up would overwrite a file that already exists."""


class NotAVault(VaultError):
    """The file is not an NCO Desktop vault (a photo, a plain SQLite file, an empty file)."""


class WrongPassphrase(VaultError):
    """The passphrase does not unlock this vault."""


class VaultDamaged(VaultError):
    """The passphrase is right (or cannot be checked) but the file is cut short or corrupt."""


class VaultTooNew(VaultError):
    """The vault was written by a newer version of NCO Desktop."""


class WeakPassphrase(VaultError):
    """A new passphrase was refused before anything was written."""


class AuditMissing(VaultError):
    """A change tried to commit without an audit record: a programming error, rolled back."""


class VaultClosed(VaultError):
    """A handle was used after it was closed (locked): a bug in the caller, never the
    user's doing. Code that may run after a lock asks :attr:`Vault.is_open` first."""
