"""The user's own names in chat exports, kept once per vault (issue #18).

Asked once ("which of these names is you?" in the window, ``--me`` on the command
line) and kept in the vault's settings, so every later chat is read with them; see
:mod:`nco_desktop.importers.formats.chat_owner` for how a reader uses them.
"""

from __future__ import annotations

from nco_desktop.importers.formats.chat_owner import ASK_OPTION, ME_OPTION, same_name
from nco_desktop.vault import Vault

#: The user's own names as chat exports write them, one per line.
ME_SETTING = "my_chat_name"


def my_chat_names(vault: Vault) -> list[str]:
    """Every name the user said is theirs in chat exports (``--me``, or the window's
    "which of these names is you?"), oldest first: "Jane" on WhatsApp, "Jane Doe" on
    Telegram. Asked once per vault; a name is added, never replaced."""
    stored = vault.setting(ME_SETTING)
    if not isinstance(stored, str):
        return []
    return [name.strip() for name in stored.splitlines() if name.strip()]


def remember_my_chat_name(vault: Vault, name: str) -> list[str]:
    """Add *name* to :func:`my_chat_names` (one audited change, none if already kept)."""
    names = my_chat_names(vault)
    cleaned = " ".join(name.split())
    if cleaned and not any(same_name(cleaned, known) for known in names):
        names.append(cleaned)
        vault.set_settings({ME_SETTING: "\n".join(names)})
    return names


def chat_options(vault: Vault, options: dict[str, str] | None, *, ask: bool) -> dict[str, str]:
    """The reading options for an import: *options* as given, with the user's chat names
    (an ``me`` in *options* is a name just chosen: kept for the vault first), and
    ``ask_me`` when the caller can ask which sender is the user (the window)."""
    chosen = dict(options or {})
    if chosen.get(ME_OPTION):
        for name in chosen[ME_OPTION].splitlines():
            remember_my_chat_name(vault, name)
    names = my_chat_names(vault)
    if names:
        chosen[ME_OPTION] = "\n".join(names)
    if ask:
        chosen.setdefault(ASK_OPTION, "1")
    return chosen
