"""Undo for the removals a user makes by mistake, in the current session (Qt-free).

Hiding an entry, unlinking evidence from an incident and taking items out of an
exhibit are one click each, and easy to do to the wrong row. Each is recorded here
as a step that knows how to put things back; Edit ▸ Undo runs the latest one. The undo
is itself a write of its own, audited like any other (the audit log is append-only:
nothing is ever taken *out* of it). The history lives in memory only, for the open
vault, and is forgotten when the vault locks or closes.

Steps hold ids and a short label for the menu ("hide “IMG_2041.jpg”"), never more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nco_desktop.case.hiding import unhide_entries
from nco_desktop.case.incidents import link_evidence
from nco_desktop.evidence.records import EntryKind
from nco_desktop.timeline.query import EntryView
from nco_desktop.vault import Vault

#: Steps kept; an older one falls off the end.
HISTORY_LIMIT = 50
LABEL_CHARS = 40


@dataclass(frozen=True)
class UndoStep:
    """What to say in the menu ("hide “IMG_2041.jpg”") and how to put it back."""

    description: str
    put_back: Callable[[Vault], object]


class UndoHistory:
    """The steps of this session, latest last."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self._steps: list[UndoStep] = []
        self._limit = limit

    def push(self, step: UndoStep) -> None:
        self._steps.append(step)
        del self._steps[: -self._limit]

    def latest(self) -> UndoStep | None:
        return self._steps[-1] if self._steps else None

    def __len__(self) -> int:
        return len(self._steps)

    def undo(self, vault: Vault) -> UndoStep | None:
        """Put back the latest step; None when there is none. If putting it back fails
        (the vault is busy, the entry was deleted meanwhile) the step stays, so the
        user can try again, and the error goes to the caller to say."""
        step = self.latest()
        if step is None:
            return None
        step.put_back(vault)
        self._steps.pop()
        return step

    def clear(self) -> None:
        self._steps.clear()


def entry_label(entry: EntryView) -> str:
    """A short name for an entry in a menu: a file's name; a message's, a call's or an
    e-mail's first words (their file is a whole export, named the same for each)."""
    conversation = entry.kind in (EntryKind.MESSAGE, EntryKind.CALL, EntryKind.EMAIL)
    first = entry.summary_line() if conversation else entry.original_name
    text = first or entry.summary_line() or f"entry {entry.id}"
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _what(labels: Sequence[str]) -> str:
    return f"“{labels[0]}”" if len(labels) == 1 else f"{len(labels)} entries"


def hide_step(entry_ids: Sequence[int], labels: Sequence[str]) -> UndoStep:
    """The step that brings entries just hidden back into view."""
    ids = list(entry_ids)
    return UndoStep(f"hide {_what(labels)}", lambda vault: unhide_entries(vault, ids, undo=True))


def unlink_step(incident_id: int, entry_ids: Sequence[int], labels: Sequence[str]) -> UndoStep:
    """The step that links evidence just unlinked back to its incident."""
    ids = list(entry_ids)
    return UndoStep(
        f"unlink {_what(labels)} from the incident",
        lambda vault: link_evidence(vault, incident_id, ids),
    )


def exhibit_removal_step(
    exhibit_id: int, items_before: Sequence[int], labels: Sequence[str], exhibit_name: str
) -> UndoStep:
    """The step that puts items just taken out of an exhibit back, in their old order.

    *items_before*: the exhibit's entry ids, in order, before the removal (the Exhibits
    view has them; ``exhibit_entry_ids`` reads them).
    """
    from nco_desktop.binder.exhibits import set_exhibit_items

    order = list(items_before)
    return UndoStep(
        f"remove {_what(labels)} from {exhibit_name}",
        lambda vault: set_exhibit_items(vault, exhibit_id, order),
    )
