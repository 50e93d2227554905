"""Words for an entry's kind and a call, shared by every list that shows evidence."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from nco_desktop.evidence.records import CallType, EntryKind


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimelineModel", text)


def kind_name(kind: str) -> str:
    names = {
        EntryKind.MESSAGE: _tr("Message"),
        EntryKind.CALL: _tr("Call"),
        EntryKind.EMAIL: _tr("E-mail"),
        EntryKind.IMAGE: _tr("Picture"),
        EntryKind.DOCUMENT: _tr("Document"),
        EntryKind.AUDIO: _tr("Recording"),
        EntryKind.NOTE: _tr("Note"),
        EntryKind.INCIDENT: _tr("Incident"),
    }
    return names.get(kind, kind)  # type: ignore[call-overload]


def call_summary(call_type: str | None, duration_s: int | None) -> str:
    names = {
        CallType.INCOMING: _tr("Incoming call"),
        CallType.OUTGOING: _tr("Outgoing call"),
        CallType.MISSED: _tr("Missed call"),
        CallType.VOICEMAIL: _tr("Voicemail"),
        CallType.REJECTED: _tr("Rejected call"),
        CallType.BLOCKED: _tr("Blocked call"),
    }
    text = names.get(call_type or "", _tr("Call"))  # type: ignore[call-overload]
    if duration_s:
        minutes, seconds = divmod(duration_s, 60)
        text += f", {minutes}:{seconds:02d}"
    return text
