"""What the Exhibits view says about the open exhibit beyond its items: evidence that
is in another exhibit too, and how many pages the exhibit took in the last build.

The same message printed in two exhibits makes the binder look padded, and the judge
or the other side may count it twice or ask why; the user is told plainly which item
and which exhibits, beside the items (each such item's row says "also in …") and in a
warning box above them. Nothing is changed for the user: sometimes repeating an item
is meant.

Page counts come from the Binder view's last build (it hands them over as
``{exhibit id: pages}``, see :meth:`ExhibitChecks.set_built_pages`); before a build,
or after a lock, the count says the binder is not built yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nco_desktop.binder.exhibits import list_exhibits
from nco_desktop.ui.common.widgets import shorten
from nco_desktop.ui.exhibits.exhibit_models import LINES_ROLE, items_text, pages_text

if TYPE_CHECKING:
    from nco_desktop.ui.exhibits.exhibits_page import ExhibitsPage

#: Items named one by one in the warning; more are counted.
NAMED_ITEMS = 3


class ExhibitChecks(QObject):
    """Keeps the editor's "also in another exhibit" warning, the items' notes and the
    page count in step with the open exhibit of one :class:`ExhibitsPage`."""

    def __init__(self, page: ExhibitsPage) -> None:
        super().__init__(page)
        self._page = page
        self._built_pages: dict[int, int] | None = None
        self.shared_warning = page.editor.shared_warning
        #: {entry id: labels of the *other* exhibits holding it}, for the open exhibit.
        self.shared: dict[int, list[str]] = {}

    # ----- the last build ------------------------------------------------------------------

    def set_built_pages(self, pages: Mapping[int, int] | None) -> None:
        """Pages per exhibit id in the binder just built (None: dropped, or locked)."""
        self._built_pages = None if pages is None else dict(pages)
        self.update()

    def pages_of(self, exhibit_id: int) -> int | None:
        return None if self._built_pages is None else self._built_pages.get(exhibit_id)

    def built_words(self, exhibit_id: int) -> str:
        """'12 pages in the last build', or that it was not built (yet, or since)."""
        if self._built_pages is None:
            return self.tr("binder not built yet")
        pages = self._built_pages.get(exhibit_id)
        if pages is None:
            return self.tr("not in the last build")
        return self.tr("%1 in the last build").replace("%1", pages_text(pages))

    # ----- the open exhibit -----------------------------------------------------------------

    def update(self) -> None:
        """Read which items of the open exhibit are in other exhibits too; say so."""
        page = self._page
        vault, exhibit_id = page.session.vault, page.current_exhibit_id()
        self.shared = {}
        if vault is None or exhibit_id is None:
            self.shared_warning.hide()
            return
        rows = list_exhibits(vault)
        holders: dict[int, list[int]] = {}
        for row in rows:
            for entry_id in set(row.entry_ids):
                holders.setdefault(entry_id, []).append(row.id)
        own = next((row for row in rows if row.id == exhibit_id), None)
        entry_ids = list(own.entry_ids) if own is not None else []
        for entry_id in entry_ids:
            others = [i for i in holders.get(entry_id, []) if i != exhibit_id]
            if others:
                self.shared[entry_id] = [page.label_of(i) for i in others]
        editor = page.editor
        note = self.tr("also in %1")
        editor.item_model.set_notes(
            {entry: note.replace("%1", ", ".join(labels)) for entry, labels in self.shared.items()}
        )
        editor.items_count.setText(f"{items_text(len(entry_ids))} · {self.built_words(exhibit_id)}")
        self._say_shared(entry_ids)

    def _say_shared(self, entry_ids: list[int]) -> None:
        if not self.shared:
            self.shared_warning.hide()
            return
        model = self._page.editor.item_model
        lines = []
        for entry_id in [i for i in entry_ids if i in self.shared][:NAMED_ITEMS]:
            row = model.row_of(entry_id)
            lines_of = model.index(row).data(LINES_ROLE) if row >= 0 else None
            text = " — ".join(lines_of) if lines_of else ""  # when, then who and what
            lines.append(
                self.tr("• “%1” is also in %2")
                .replace("%1", shorten(text, 90))
                .replace("%2", ", ".join(self.shared[entry_id]))
            )
        more = len(self.shared) - len(lines)
        if more > 0:
            lines.append(self.tr("• and %1 more").replace("%1", f"{more:,}"))
        self.shared_warning.setText(
            self.tr(
                "The same evidence is in more than one exhibit, so the binder prints it "
                "twice. If that is not what you meant, take it out of one of them:"
            )
            + "\n"
            + "\n".join(lines)
        )
        self.shared_warning.show()
