"""What the timeline's rows can be asked to do: its context menu and bulk actions.

Add to exhibit… and Link to incident… act on every selected entry at once, each as
one audited transaction of the Qt-free services
(:func:`~nco_desktop.binder.exhibits.add_exhibit_entries`,
:func:`~nco_desktop.binder.exhibits.create_exhibit`,
:func:`~nco_desktop.case.incidents.link_evidence`). Copy date and time puts the
entries' full times on the clipboard (never their contents). Create person… hands the
entry's number or address to the People view through the workspace (views do not
import each other), where the user checks it and saves.

The chooser asks through :mod:`~nco_desktop.ui.common.prompts`' canned answers, so
tests answer it as they answer every other question (an exhibit or incident id, or a
new exhibit's title).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QPoint, Qt, SignalInstance
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.exhibits import add_exhibit_entries, create_exhibit, exhibit_overview
from nco_desktop.case.incidents import link_evidence, list_incidents
from nco_desktop.case.people import IdentifierKind, list_people, party_keys_for
from nco_desktop.errors import NcoError
from nco_desktop.importers.batch import phone_region
from nco_desktop.importers.parties import party_key
from nco_desktop.timekeeping import from_ms
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.common.widgets import short_time
from nco_desktop.vault import Vault

#: The chooser's answer for "a new exhibit" (ids are positive).
NEW_EXHIBIT = -1
#: At most this many times go on the clipboard at once (a day's worth, not 100,000).
COPY_LIMIT = 1_000


@dataclass(frozen=True)
class PersonDraft:
    """A person to create from an entry: the export's name and the number or address.
    ``person_id`` is set when someone saved already has it (open them instead)."""

    name: str
    kind: IdentifierKind
    value: str
    person_id: int | None = None
    person_name: str = ""


def person_draft(vault: Vault, entry_id: int) -> PersonDraft | None:
    """What Create person… would fill in for *entry_id*; None: it names no one."""
    row = vault.conn.execute(
        "SELECT party, party_name, party_key FROM entries WHERE id = ?", (entry_id,)
    ).fetchone()
    if row is None or not (row[0] or "").strip():
        return None
    party, name = row[0].strip(), (row[1] or "").strip()
    # As the importers key it; an entry saved without a key is keyed the same way here.
    key = row[2] or party_key(party, phone_region(vault)) or ""
    if key.startswith("tel:"):
        kind = IdentifierKind.PHONE
    elif key.startswith("mailto:") or ("@" in party and " " not in party):
        kind = IdentifierKind.EMAIL
    else:
        kind = IdentifierKind.HANDLE
    if key:
        for person in list_people(vault.conn):
            if key in party_keys_for(vault.conn, person.id):
                return PersonDraft(name, kind, party, person.id, person.name)
    return PersonDraft(name, kind, party)


class TargetChooser(QDialog):
    """Choose one exhibit or incident from a list (Enter or a double click chooses);
    for exhibits, the first row makes a new one, named in the field under the list."""

    def __init__(
        self,
        title: str,
        prompt: str,
        choices: Sequence[tuple[int, str]],
        accept_words: str,
        *,
        new_title: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(460, 380)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName(self.tr("New exhibit's title"))
        self.name_edit.setMaxLength(200)
        if new_title is not None:
            item = QListWidgetItem(self.tr("A new exhibit, titled below"))
            item.setData(Qt.ItemDataRole.UserRole, NEW_EXHIBIT)
            self.list.addItem(item)
            self.name_edit.setText(new_title)
        for target_id, words in choices:
            item = QListWidgetItem(words)
            item.setData(Qt.ItemDataRole.UserRole, target_id)
            self.list.addItem(item)
        buttons = QDialogButtonBox(self)
        self.accept_button = buttons.addButton(accept_words, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.name_edit)
        layout.addWidget(buttons)
        self.name_edit.setVisible(new_title is not None)
        self.list.currentRowChanged.connect(self._update)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.setCurrentRow(1 if new_title is not None and choices else 0)
        self._update()

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _update(self) -> None:
        new = self.chosen() == NEW_EXHIBIT
        self.name_edit.setEnabled(new)
        self.accept_button.setEnabled(self.chosen() is not None)


def choose_target(
    parent: QWidget,
    title: str,
    prompt: str,
    choices: Sequence[tuple[int, str]],
    accept_words: str,
    *,
    new_title: str | None = None,
) -> int | str | None:
    """An id from *choices*, a new exhibit's title (str), or None (cancelled)."""
    canned, answer = prompts._message_answer("choose", title, prompt)
    if canned:
        return answer if isinstance(answer, int | str) else None
    dialog = TargetChooser(title, prompt, choices, accept_words, new_title=new_title, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.chosen()
    if chosen == NEW_EXHIBIT:
        return dialog.name_edit.text().strip() or (new_title or "")
    return chosen


class ActionsHost(Protocol):
    """What the actions need of the timeline page."""

    session: VaultSession
    person_requested: SignalInstance  # PersonDraft

    def selected_entry_ids(self) -> list[int]: ...

    def selected_entry_id(self) -> int | None: ...

    def selected_times(self, limit: int) -> list[str]: ...

    def say(self, text: str) -> None: ...


class TimelineActions(QObject):
    """The menu and the actions on the timeline's selected entries.

    *page* is the timeline page: it gives the session, the selected ids and the
    current one, and emits ``person_requested`` (see :class:`PersonDraft`); *widget*
    (the page too) parents the menu and the dialogs.
    """

    def __init__(self, page: ActionsHost, widget: QWidget) -> None:
        super().__init__(widget)
        self.page = page
        self.widget = widget
        self.open_menu: QMenu | None = None  # the menu last popped up
        tr = self.tr
        self.exhibit_action = QAction(tr("Add to e&xhibit…"), self)
        self.incident_action = QAction(tr("&Link to incident…"), self)
        self.copy_action = QAction(tr("&Copy date and time"), self)
        self.person_action = QAction(tr("Create &person from this number…"), self)
        self.exhibit_action.triggered.connect(lambda: self.add_to_exhibit())
        self.incident_action.triggered.connect(lambda: self.link_to_incident())
        self.copy_action.triggered.connect(self.copy_times)
        self.person_action.triggered.connect(self.create_person)

    @property
    def _session(self) -> VaultSession:
        return self.page.session

    def menu(self) -> QMenu:
        """The menu for the selection as it is now (actions named for what they do)."""
        ids = self.page.selected_entry_ids()
        count = len(ids)
        vault = self._session.vault
        many = count > 1
        self.exhibit_action.setText(
            self.tr("Add %n entries to e&xhibit…", "", count)
            if many
            else self.tr("Add to e&xhibit…")
        )
        self.incident_action.setText(
            self.tr("&Link %n entries to incident…", "", count)
            if many
            else self.tr("&Link to incident…")
        )
        self.copy_action.setText(
            self.tr("&Copy dates and times") if many else self.tr("&Copy date and time")
        )
        draft = None
        current = self.page.selected_entry_id()
        if vault is not None and current is not None:
            draft = person_draft(vault, current)
        if draft is not None and draft.person_id is not None:
            self.person_action.setText(
                self.tr("Open &person (%1)").replace("%1", draft.person_name)
            )
        elif draft is not None and draft.kind is IdentifierKind.EMAIL:
            self.person_action.setText(self.tr("Create &person from this address…"))
        else:
            self.person_action.setText(self.tr("Create &person from this number…"))
        for action in (self.exhibit_action, self.incident_action, self.copy_action):
            action.setEnabled(vault is not None and count > 0)
        self.person_action.setEnabled(draft is not None)
        menu = QMenu(self.widget)
        menu.setAccessibleName(self.tr("Entry actions"))
        menu.addAction(self.exhibit_action)
        menu.addAction(self.incident_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        menu.addAction(self.person_action)
        return menu

    def show_menu(self, global_pos: QPoint) -> QMenu:
        """Pop the menu up at *global_pos* (not modal: the window keeps running, and
        tests find it in :attr:`open_menu`); it is deleted once closed."""
        menu = self.menu()
        menu.aboutToHide.connect(menu.deleteLater)
        self.open_menu = menu
        menu.popup(global_pos)
        return menu

    # ----- the actions ------------------------------------------------------------------

    def add_to_exhibit(self) -> int:
        """Put the selected entries into an exhibit the user chooses (or a new one);
        returns how many were added."""
        vault, ids = self._session.vault, self.page.selected_entry_ids()
        if vault is None or not ids:
            return 0
        exhibits = exhibit_overview(vault.conn)
        choices = [(x.id, f"{x.place}. {x.title} ({x.item_count})") for x in exhibits]
        title = self.tr("Add to exhibit")
        answer = choose_target(
            self.widget,
            title,
            self.tr("Add %n entries to which exhibit?", "", len(ids)),
            choices,
            self.tr("Add"),
            new_title=self.tr("Exhibit %1").replace("%1", str(len(exhibits) + 1)),
        )
        if answer is None:
            return 0
        try:
            if isinstance(answer, str):
                create_exhibit(vault, answer, "", ids)
                added = len(ids)
            else:
                added = add_exhibit_entries(vault, int(answer), ids)
        except (NcoError, ValueError) as error:
            prompts.warn(self.widget, title, prompts.explain(error))
            return 0
        self._session.notify(Change.EXHIBITS)
        self.page.say(
            self.tr("%n entries added to the exhibit.", "", added)
            if added
            else self.tr("Those entries are already in that exhibit.")
        )
        return added

    def link_to_incident(self) -> int:
        """Link the selected entries to an incident the user chooses; returns how many
        links are new."""
        vault, ids = self._session.vault, self.page.selected_entry_ids()
        if vault is None or not ids:
            return 0
        zone = vault.time_zone
        title = self.tr("Link to incident")
        incidents = list_incidents(vault.conn)
        if not incidents:
            prompts.inform(
                self.widget,
                title,
                self.tr(
                    "There is no incident yet. Add one in Incidents, then link evidence to it."
                ),
            )
            return 0
        choices = []
        for incident in incidents:
            when = (
                self.tr("time unknown")
                if incident.occurred_ms is None
                else short_time(from_ms(incident.occurred_ms).astimezone(zone))
            )
            choices.append((incident.id, f"{when} · {incident.summary}"))
        answer = choose_target(
            self.widget,
            title,
            self.tr("Link %n entries to which incident?", "", len(ids)),
            choices,
            self.tr("Link"),
        )
        if not isinstance(answer, int):
            return 0
        evidence = [i for i in ids if i != answer]  # an incident is not its own evidence
        try:
            linked = link_evidence(vault, answer, evidence)
        except (NcoError, ValueError) as error:
            prompts.warn(self.widget, title, prompts.explain(error))
            return 0
        self._session.notify(Change.INCIDENTS)
        self.page.say(
            self.tr("%n entries linked to the incident.", "", linked)
            if linked
            else self.tr("Those entries were already linked to that incident.")
        )
        return linked

    def copy_times(self) -> str:
        """The selected entries' full dates and times, one a line, on the clipboard."""
        lines = self.page.selected_times(COPY_LIMIT)
        text = "\n".join(lines)
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def create_person(self) -> None:
        vault, current = self._session.vault, self.page.selected_entry_id()
        if vault is None or current is None:
            return
        draft = person_draft(vault, current)
        if draft is not None:
            self.page.person_requested.emit(draft)
