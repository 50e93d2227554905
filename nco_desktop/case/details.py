"""The case's details for the binder's cover, and the private details kept out of the
copy for the other side (Qt-free: the CLI's ``case`` command and the window's Binder
view both save through here).

Stored as one vault setting. A save is one audited change that names the fields that
changed and how many private details there are — never their text: the audit log
proves nothing changed unseen, it is not a second copy of the user's address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nco_desktop.case import InvalidRecord
from nco_desktop.vault import Vault
from nco_desktop.vault.vault import CASE_SETTING

CASE_FIELDS = (
    "title",
    "court",
    "case_number",
    "petitioner",
    "respondent",
    "hearing",
    "hearing_time",
    "department",
    "judge",
)
REDACTIONS_KEY = "redactions"
MAX_FIELD_CHARS = 300  # a court's full name fits; a pasted page does not
MAX_PRIVATE_DETAILS = 200


def case_fields(vault: Vault) -> dict[str, str]:
    """Every cover field, "" where the user has not filled it in."""
    details = vault.case_details
    return {name: str(details.get(name) or "") for name in CASE_FIELDS}


def private_details(vault: Vault) -> list[str]:
    """What the user asked to be removed from the copy for service."""
    return [str(term) for term in vault.case_details.get(REDACTIONS_KEY, [])]


def _clean_fields(fields: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(fields) - set(CASE_FIELDS))
    if unknown:
        raise InvalidRecord(f"There is no case detail called “{unknown[0]}”.")
    cleaned = {}
    for name, value in fields.items():
        text = " ".join(str(value).split())
        if len(text) > MAX_FIELD_CHARS:
            label = name.replace("_", " ")
            raise InvalidRecord(
                f"The {label} is {len(text)} characters long; at most {MAX_FIELD_CHARS} fit "
                "on the cover."
            )
        cleaned[name] = text
    return cleaned


def _clean_private(terms: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for term in terms:
        text = " ".join(str(term).split())
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_PRIVATE_DETAILS:
        raise InvalidRecord(f"At most {MAX_PRIVATE_DETAILS} private details can be listed.")
    too_short = [t for t in cleaned if len(t) < 3]
    if too_short:
        raise InvalidRecord(
            f"“{too_short[0]}” is too short to remove safely: it would blank out every word "
            "that contains it. Give at least three characters."
        )
    return cleaned


def save_case_details(
    vault: Vault,
    fields: Mapping[str, str] | None = None,
    private: Sequence[str] | None = None,
) -> list[str]:
    """Save the given cover *fields* and, if given, the whole list of *private* details;
    the names of what changed ([] when nothing did, and then nothing is written)."""
    details = vault.case_details
    changed: list[str] = []
    for name, value in _clean_fields(fields or {}).items():
        if str(details.get(name) or "") != value:
            details[name] = value
            changed.append(name)
    if private is not None:
        terms = _clean_private(private)
        if terms != private_details(vault):
            details[REDACTIONS_KEY] = terms
            changed.append(REDACTIONS_KEY)
    if not changed:
        return []
    with vault.change() as change:
        change.set_setting(CASE_SETTING, details)
        change.audit(
            "case.details_changed",
            fields=sorted(changed),
            private_details=len(details.get(REDACTIONS_KEY, [])),
        )
    return changed
