"""What goes into a binder, in which order, under which labels: the :class:`BinderPlan`.

Built from the vault's case details and its chosen exhibits. With none chosen, every
entry is grouped into sensible exhibits (one per conversation/person and kind) so a user
gets a useful first binder from one command. Private incident notes never enter a plan.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from nco_desktop.binder.options import BinderOptions, exhibit_label
from nco_desktop.binder.pattern_page import PatternSummary, pattern_summary
from nco_desktop.binder.redaction import NO_REDACTION, Redactor
from nco_desktop.binder.review import Review
from nco_desktop.binder.wording import source_words
from nco_desktop.case.details import REDACTIONS_KEY
from nco_desktop.case.entry_parties import party_reasons
from nco_desktop.case.entry_times import time_correction
from nco_desktop.case.incidents import Incident, list_incidents
from nco_desktop.evidence.records import EntryKind
from nco_desktop.evidence.transcripts import transcript
from nco_desktop.evidence.translations import Translation, translation
from nco_desktop.timeline.query import EntryView, iter_entries
from nco_desktop.vault import Vault

#: The most characters of the user's reason for a time a caption prints.
TIME_REASON_CHARS = 160

#: Case-details key: the user's private details to remove from the copy for service
#: (their address, phone numbers, workplace, children's names, account numbers).


@dataclass(frozen=True)
class OriginalFacts:
    """What the binder prints about a stored file (the integrity appendix, captions)."""

    id: int
    sha256: str
    size: int
    name: str
    media_type: str
    imported_at: str
    blob_id: int
    #: The importer that read it (``original_parses.format``: "sms_xml", "whatsapp"…),
    #: for the divider's "how it was captured"; "" for one never parsed.
    format: str = ""


@dataclass(frozen=True)
class PlannedItem:
    entry: EntryView
    meta: dict[str, Any]
    original: OriginalFacts | None
    attachments: tuple[OriginalFacts, ...] = ()
    transcript: str = ""  # the user's, for a recording
    time_reason: str = ""  # why the user set the time, when they did (source ``user``)
    party_reason: str = ""  # why the user named who a picture is with, when they did
    #: The English translation of an item in another language (the user's or a
    #: translator's), printed after the exhibit's own pages (:mod:`.translation_pages`).
    translation: Translation | None = None

    def time_words(self) -> str:
        """Where the time came from, for a caption: a time the user set says so, with
        their reason (cut short; the whole reason is in the vault's log of changes)."""
        if self.time_reason:
            reason = self.time_reason
            if len(reason) > TIME_REASON_CHARS:
                reason = reason[: TIME_REASON_CHARS - 1].rstrip() + "… (see the log)"
            return f"set by the user: {reason}"
        return source_words(self.entry.time_source, self.entry.kind)


@dataclass
class PlannedExhibit:
    label: str
    title: str
    description: str
    kind: str  # the dominant entry kind: decides how its pages are drawn
    items: list[PlannedItem] = field(default_factory=list)

    def date_range(self) -> tuple[int | None, int | None]:
        times = [i.entry.occurred_ms for i in self.items if i.entry.occurred_ms is not None]
        return (min(times), max(times)) if times else (None, None)


@dataclass(frozen=True)
class PlannedIncident:
    """One of the user's incidents as the binder prints it: the court-facing fields
    only (``private_notes`` is emptied before it gets here), and the labels of the
    exhibits that hold its linked evidence."""

    incident: Incident
    exhibit_labels: tuple[str, ...]


@dataclass
class BinderPlan:
    case: dict[str, Any]
    time_zone: str
    options: BinderOptions
    exhibits: list[PlannedExhibit]
    audit_head: tuple[int, str]
    redactor: Redactor = NO_REDACTION  # set only for the copy for service
    pattern: PatternSummary | None = None  # the restrained person's contacts, if asked for
    incidents: list[PlannedIncident] = field(default_factory=list)  # in time order

    def originals(self) -> list[tuple[str, OriginalFacts]]:
        """Every original the binder shows, once, with the first exhibit that holds it."""
        seen: dict[int, tuple[str, OriginalFacts]] = {}
        for exhibit in self.exhibits:
            for item in exhibit.items:
                for original in (item.original, *item.attachments):
                    if original is not None and original.id not in seen:
                        seen[original.id] = (exhibit.label, original)
        return list(seen.values())


_KIND_TITLES = {
    "message": "Messages",
    "call": "Call log",
    "email": "E-mails",
    "image": "Pictures and screenshots",
    "audio": "Voicemails and recordings",
    "note": "Written notes",
    "document": "Document",
}


def _original(vault: Vault, original_id: int | None) -> OriginalFacts | None:
    if original_id is None:
        return None
    row = vault.conn.execute(
        "SELECT o.id, o.sha256, o.size, o.original_name, o.media_type, o.imported_at, "
        "o.blob_id, coalesce(p.format, '') "
        "FROM originals o LEFT JOIN original_parses p ON p.original_id = o.id WHERE o.id = ?",
        (original_id,),
    ).fetchone()
    return None if row is None else OriginalFacts(*row)


def _item(vault: Vault, entry: EntryView) -> PlannedItem:
    meta_json, original_id = vault.conn.execute(
        "SELECT meta_json, original_id FROM entries WHERE id = ?", (entry.id,)
    ).fetchone()
    attachments = tuple(
        facts
        for (attachment_id,) in vault.conn.execute(
            "SELECT original_id FROM entry_attachments WHERE entry_id = ? ORDER BY position",
            (entry.id,),
        )
        if (facts := _original(vault, attachment_id)) is not None
    )
    return PlannedItem(
        entry,
        json.loads(meta_json),
        _original(vault, original_id),
        attachments,
        transcript(vault.conn, entry.id) if entry.kind == EntryKind.AUDIO else "",
        _time_reason(vault, entry),
        party_reasons(vault.conn, [entry.id]).get(entry.id, "") if entry.party else "",
        translation(vault.conn, entry.id),
    )


def _time_reason(vault: Vault, entry: EntryView) -> str:
    if entry.time_source != "user" or entry.kind == EntryKind.INCIDENT:
        return ""
    correction = time_correction(vault.conn, entry.id)
    return "" if correction is None else correction.reason


def auto_groups(entries: list[EntryView]) -> list[tuple[str, str, list[EntryView]]]:
    """(kind, title, entries) groups: one per conversation/person and kind; documents alone."""
    groups: dict[tuple[str, str], list[EntryView]] = {}
    for entry in entries:
        if entry.kind == EntryKind.INCIDENT:
            continue  # incidents are the chronology's, not an exhibit's
        if entry.kind in (EntryKind.MESSAGE, EntryKind.CALL, EntryKind.EMAIL):
            who = entry.party_key or entry.party or "unknown"
            key = (entry.kind, who)
        elif entry.kind == EntryKind.DOCUMENT:
            key = (entry.kind, f"#{entry.id}")
        else:
            key = (entry.kind, "")
        groups.setdefault(key, []).append(entry)
    result = []
    for (kind, _who), members in groups.items():
        title = _KIND_TITLES.get(kind, kind)
        if kind in (EntryKind.MESSAGE, EntryKind.CALL, EntryKind.EMAIL):
            title += f" with {members[0].who() or 'an unknown party'}"
        elif kind == EntryKind.DOCUMENT:
            title = members[0].original_name or title
        result.append((kind, title, members))
    result.sort(
        key=lambda group: min(
            (e.occurred_ms for e in group[2] if e.occurred_ms is not None), default=2**62
        )
    )
    return result


def build_plan(vault: Vault, options: BinderOptions) -> BinderPlan:
    chosen = vault.conn.execute(
        "SELECT id, title, description FROM exhibits ORDER BY position, id"
    ).fetchall()
    exhibits: list[PlannedExhibit] = []
    if chosen:
        by_id = {e.id: e for e in iter_entries(vault.conn)}
        for index, (exhibit_id, title, description) in enumerate(chosen):
            members = [
                by_id[entry_id]
                for (entry_id,) in vault.conn.execute(
                    "SELECT entry_id FROM exhibit_items WHERE exhibit_id = ? "
                    "ORDER BY position, entry_id",
                    (exhibit_id,),
                )
                if entry_id in by_id
            ]
            kinds = [m.kind for m in members]
            # The most common kind; ties broken by name, never by hash order.
            kind = max(sorted(set(kinds)), key=kinds.count) if kinds else "document"
            exhibits.append(
                PlannedExhibit(
                    exhibit_label(index, options.labels),
                    title,
                    description,
                    kind,
                    [_item(vault, m) for m in members],
                )
            )
    else:
        for index, (kind, title, members) in enumerate(auto_groups(list(iter_entries(vault.conn)))):
            exhibits.append(
                PlannedExhibit(
                    exhibit_label(index, options.labels),
                    title,
                    "",
                    kind,
                    [_item(vault, m) for m in members],
                )
            )
    incidents = planned_incidents(vault, exhibits)
    head = vault.setting("audit_head", {"seq": 0, "hash": "0" * 64})
    case = vault.case_details
    redactor = NO_REDACTION
    if options.for_service:
        terms = tuple(str(t) for t in case.get(REDACTIONS_KEY, []))
        redactor = Redactor(terms, review=Review(options.released))
    return BinderPlan(
        case=case,
        time_zone=vault.time_zone_name,
        options=options,
        exhibits=exhibits,
        audit_head=(int(head["seq"]), str(head["hash"])),
        redactor=redactor,
        pattern=pattern_summary(vault) if options.pattern_page else None,
        incidents=incidents,
    )


def planned_incidents(vault: Vault, exhibits: list[PlannedExhibit]) -> list[PlannedIncident]:
    """Every incident, in time order (unknown times last), without its private notes,
    with the exhibits that hold the evidence linked to it."""
    holders: dict[int, list[str]] = {}
    for exhibit in exhibits:
        for item in exhibit.items:
            holding = holders.setdefault(item.entry.id, [])
            if exhibit.label not in holding:
                holding.append(exhibit.label)
    order = {exhibit.label: n for n, exhibit in enumerate(exhibits)}
    planned = []
    for incident in list_incidents(vault.conn):
        labels: list[str] = []
        for entry_id in incident.evidence_entry_ids:
            labels += [label for label in holders.get(entry_id, []) if label not in labels]
        labels.sort(key=order.__getitem__)
        planned.append(
            PlannedIncident(dataclasses.replace(incident, private_notes=""), tuple(labels))
        )
    planned.sort(
        key=lambda p: (p.incident.occurred_ms is None, p.incident.occurred_ms or 0, p.incident.id)
    )
    return planned
