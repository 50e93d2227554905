"""The binder choices a user made last time, kept in the vault (Qt-free).

Label style and prefix show in the Exhibits view ("Pet. Ex. 3"), and the Binder view
builds with the same choices, so both read and write one vault setting. Kept in the
vault rather than in the desktop's settings file: a prefix such as "Resp. Ex." says
which side of which case the user is on, and nothing about a case lives in the clear.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from nco_desktop.binder.courts import apply_court
from nco_desktop.binder.options import BinderOptions, Corner, Court, LabelStyle, Paper
from nco_desktop.case import InvalidRecord
from nco_desktop.vault import Vault

OPTIONS_SETTING = "binder_options"
MAX_PREFIX_CHARS = 24
MAX_BATES_CHARS = 24
DEFAULT_SPLIT_MB = 25.0  # the limit many e-filing systems set


@dataclass(frozen=True)
class BinderChoices:
    """The options for the court's copy, and what else to make beside it."""

    options: BinderOptions = field(default_factory=BinderOptions)
    service_copy: bool = False  # also build the copy for the other side
    split_mb: float | None = None  # save in volumes under this size; None: one file
    per_exhibit: bool = False  # also save each exhibit as a PDF of its own


def _check(choices: BinderChoices) -> BinderChoices:
    options = choices.options
    # A blank prefix means the usual one, in both views and the CLI alike: a stamp of a
    # bare "3 — p. 2 of 5" names no side.
    prefix = " ".join(options.prefix.split()) or BinderOptions().prefix
    if len(prefix) > MAX_PREFIX_CHARS:
        raise InvalidRecord(f"The exhibit prefix can have at most {MAX_PREFIX_CHARS} characters.")
    bates = "".join((options.bates or "").split()) or None
    if bates is not None and len(bates) > MAX_BATES_CHARS:
        raise InvalidRecord(f"The Bates prefix can have at most {MAX_BATES_CHARS} characters.")
    if choices.split_mb is not None and not 1 <= choices.split_mb <= 10_000:
        raise InvalidRecord("Give a volume size between 1 and 10,000 MB.")
    return apply_court(  # a court's paper, PDF/A and largest file win over the rest
        dataclasses.replace(
            choices,
            options=dataclasses.replace(options, prefix=prefix, bates=bates, for_service=False),
        )
    )


def _as_json(choices: BinderChoices) -> dict[str, Any]:
    options = choices.options
    return {
        "paper": options.paper.value,
        "labels": options.labels.value,
        "prefix": options.prefix,
        "bates": options.bates,
        "stamp_corner": options.stamp_corner.value,
        "pattern_page": options.pattern_page,
        "tabs": options.tabs,
        "exhibit_declarations": options.exhibit_declarations,
        "pdfa": options.pdfa,
        "court": options.court.value,
        "service_copy": choices.service_copy,
        "split_mb": choices.split_mb,
        "per_exhibit": choices.per_exhibit,
    }


def load_choices(vault: Vault) -> BinderChoices:
    """The saved choices; defaults for anything missing or no longer understood."""
    saved = vault.setting(OPTIONS_SETTING, {})
    if not isinstance(saved, dict):
        return BinderChoices()
    base = BinderOptions()

    def pick(key: str, kind: type, default: Any) -> Any:
        try:
            return kind(saved[key]) if saved.get(key) is not None else default
        except (ValueError, TypeError):
            return default

    options = BinderOptions(
        paper=pick("paper", Paper, base.paper),
        labels=pick("labels", LabelStyle, base.labels),
        prefix=str(saved.get("prefix", base.prefix)),
        bates=pick("bates", str, None),
        stamp_corner=pick("stamp_corner", Corner, base.stamp_corner),
        pattern_page=bool(saved.get("pattern_page", False)),
        tabs=bool(saved.get("tabs", False)),
        exhibit_declarations=bool(saved.get("exhibit_declarations", False)),
        pdfa=bool(saved.get("pdfa", False)),
        court=pick("court", Court, Court.ANY),
    )
    split_mb = pick("split_mb", float, None)
    if split_mb is not None:  # out of range (edited by hand): the nearest allowed size
        split_mb = min(max(split_mb, 1.0), 10_000.0)
    per_exhibit = bool(saved.get("per_exhibit", False))
    try:
        return _check(
            BinderChoices(options, bool(saved.get("service_copy")), split_mb, per_exhibit)
        )
    except InvalidRecord:
        return BinderChoices()


def save_choices(vault: Vault, choices: BinderChoices) -> bool:
    """Save *choices* in one audited change; False (nothing written) when unchanged."""
    choices = _check(choices)
    if _as_json(choices) == _as_json(load_choices(vault)) and vault.setting(OPTIONS_SETTING):
        return False
    with vault.change() as change:
        change.set_setting(OPTIONS_SETTING, _as_json(choices))
        change.audit("binder.options_changed")
    return True
