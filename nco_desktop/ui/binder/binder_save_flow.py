"""Save… on the Binder view: the only way the binder reaches the disk in the clear.

The user chooses a file, is told in plain words that what is written is NOT encrypted
and which files that will be (DESIGN invariant 2), and only then is anything written,
on the page's worker (:class:`~nco_desktop.ui.binder.binder_jobs.VaultJob`). Afterwards
the user is told exactly which files exist, also when saving stopped part-way.

:class:`~nco_desktop.ui.binder.binder_page.BinderPage` owns the session, the built
binder and the worker; this controller asks it each time rather than keeping any of
them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nco_desktop.binder.copies import (
    BuiltBinder,
    SavedFiles,
    planned_files,
    planned_names,
    save_copies,
    suggested_file_name,
    will_split,
)
from nco_desktop.binder.courts import name_too_long
from nco_desktop.binder.exhibit_files import leftover_words
from nco_desktop.case.details import case_fields
from nco_desktop.ui.common import prompts

if TYPE_CHECKING:
    from nco_desktop.ui.binder.binder_page import BinderPage


class SaveFlow(QObject):
    """The saving of one :class:`BinderPage`'s built binder."""

    def __init__(self, page: BinderPage) -> None:
        super().__init__(page)
        self._page = page

    def save(self) -> bool:
        """Choose a file, warn that it is not encrypted, then write on a worker."""
        page = self._page
        vault, built = page.session.vault, page.built
        if vault is None or built is None or page.busy:
            return False
        if built.service is not None and not page.review.ready():
            return False  # the places the other side's copy hides are checked first
        case_number = case_fields(vault).get("case_number", "")
        path = prompts.choose_binder_file(
            page, suggested_file_name(self.tr("Exhibits"), case_number)
        )
        if path is None or page.built is not built:
            return False
        if not path.suffix:
            path = path.with_name(path.name + ".pdf")
        exhibit_list = page.exhibit_list_box.isChecked()
        choices = page.options_form.choices()
        too_long = name_too_long(
            built.choices.options.court, planned_names(path, choices, exhibit_list)
        )
        if too_long is not None:  # the court's portal would refuse it: asked before writing
            prompts.warn(page, self.tr("Choose a shorter name"), too_long)
            return False
        return self.write(
            path,
            built,
            split_mb=choices.split_mb,
            recordings=page.recordings_box.isChecked(),
            exhibit_list=exhibit_list,
            per_exhibit=choices.per_exhibit,
            title=self.tr("Save a copy that is not encrypted?"),
            yes=self.tr("Save, not encrypted"),
            no=self.tr("Don't save"),
        )

    def write(
        self,
        path: Path,
        built: BuiltBinder,
        *,
        split_mb: float | None,
        recordings: bool,
        title: str,
        exhibit_list: bool = False,
        per_exhibit: bool = False,
        yes: str,
        no: str,
        lead: str = "",
    ) -> bool:
        """Warn that *path* (and the files beside it) will not be encrypted, then write
        *built*'s copies on the page's worker, exactly as previewed. Print to file comes
        here too: the binder itself, with its text and bookmarks, not pictures of it."""
        page = self._page
        text = self._not_encrypted_text(
            built, path, split_mb, recordings, exhibit_list, per_exhibit
        )
        if not prompts.confirm(page, title, f"{lead}\n\n{text}" if lead else text, yes=yes, no=no):
            return False
        if page.built is None or page.busy:
            return False  # locked, or another job began, while the question was open
        page.start_save(
            lambda v, p, c: save_copies(
                v,
                built,
                path,
                split_mb=split_mb,
                recordings=recordings,
                progress=p,
                cancel=c,
                exhibit_list=exhibit_list,
                per_exhibit=per_exhibit,
            ),
            self.tr("Saving…"),
        )
        return True

    def _not_encrypted_text(
        self,
        built: BuiltBinder,
        path: Path,
        split_mb: float | None,
        recordings: bool,
        exhibit_list: bool = False,
        per_exhibit: bool = False,
    ) -> str:
        """The warning, naming every file that will be written (and any it replaces)."""
        names = []
        for file in planned_files(built, path, exhibit_list):
            names.append(
                f"• {file.name}"
                + (self.tr(" (replaces the file already there)") if file.exists() else "")
            )
        if per_exhibit and built.exhibits:
            names.append(
                self.tr(
                    "• each exhibit on its own, as %1-ex and its label, between "
                    "%1-0-index.pdf and %1-z-appendix.pdf (one larger than the volume size "
                    "is cut into volumes)"
                ).replace("%1", path.stem)
            )
        if will_split(built, split_mb, per_exhibit):
            names.append(
                self.tr("• the same in volumes: %1-vol1.pdf, -vol2.pdf …").replace("%1", path.stem)
            )
        if recordings:
            names.append(
                self.tr("• the recordings, in the folder %1-recordings").replace("%1", path.stem)
            )
        return (
            self.tr(
                "The binder will be saved as an ordinary PDF that is NOT encrypted: anyone "
                "who gets the file can read everything in it.\n\nKeep it where the other "
                "person cannot reach it — not on a shared computer or in a shared cloud "
                "folder — and delete copies you no longer need.\n\nWritten in %1:"
            ).replace("%1", str(path.parent))
            + "\n"
            + "\n".join(names)
        )

    def saved(self, saved: SavedFiles) -> None:
        """Tell the user which clear-text files now exist, however saving ended."""
        page = self._page
        listed = "\n".join(f"• {path}" for path in saved.written)
        if saved.error is not None:
            prompts.warn(
                page,
                self.tr("Not everything was saved"),
                self.tr("Saving stopped: %1").replace("%1", prompts.explain(saved.error)),
                self.tr("Written before that (not encrypted):\n%1").replace("%1", listed)
                if listed
                else self.tr("Nothing was written."),
            )
            return
        if saved.stopped:
            prompts.inform(
                page,
                self.tr("Saving stopped"),
                self.tr("Saving stopped before every file was written."),
                self.tr("Written before that (not encrypted):\n%1").replace("%1", listed)
                if listed
                else self.tr("Nothing was written."),
            )
            return
        details = ""
        if saved.recordings == 0:
            details = self.tr("The binder has no recordings, so none were copied.")
        # Said in the message itself, not behind "Show Details": either could see the
        # wrong file filed.
        notes = [
            self.tr(
                "“%1” is larger than the volume size: file the exhibits' own files, not this one."
            ).replace("%1", whole.name)
            for whole in saved.too_large
        ]
        if saved.leftovers:
            notes.append(leftover_words(saved.leftovers))
        text = self.tr(
            "Saved, not encrypted:\n%1\n\nKeep these files where the other person cannot "
            "reach them, and delete the ones you no longer need."
        ).replace("%1", listed)
        prompts.inform(page, self.tr("Binder saved"), "\n\n".join([text, *notes]), details)
        page.say(self.tr("Saved."))
