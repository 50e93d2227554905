"""The file an entry came from, and its attachments: name, size, type, import time
and SHA-256, the facts that let anyone check the file is unchanged since import."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from nco_desktop.timeline.detail import EntryDetail, OriginalInfo, describe_size, describe_time
from nco_desktop.ui.common.widgets import HashField, Section


class OriginalSection(Section):
    """The file the entry came from, and any attachments: the integrity facts."""

    def __init__(self, detail: EntryDetail, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Original file"), parent)
        self.hashes: list[HashField] = []
        original = detail.original
        if original is None:
            self.add_text(
                self.tr("No file: this entry was written in the program."), secondary=True
            )
        else:
            self._describe(original, detail)
            parse = detail.parse
            if parse is not None and parse.status != "ok":
                words = {
                    "partial": self.tr("Read in part"),
                    "failed": self.tr("Could not be read; kept as it is"),
                    "unsupported": self.tr("Not a format the program reads; kept as it is"),
                }.get(parse.status, parse.status)
                self.add_fact(self.tr("Reading"), words)
            if parse is not None and parse.messages:
                self.add_text("\n".join(f"• {m}" for m in parse.messages[:5]), secondary=True)
        for number, attachment in enumerate(detail.attachments, 1):
            heading = self.tr("Attachment %1").replace("%1", str(number))
            self.add_text(heading)
            self._describe(attachment, detail)

    def _describe(self, original: OriginalInfo, detail: EntryDetail) -> None:
        self.add_fact(self.tr("Name"), original.name)
        self.add_fact(self.tr("Size"), describe_size(original.size))
        self.add_fact(self.tr("Type"), original.media_type)
        imported = original.imported_local(detail.zone)
        self.add_fact(
            self.tr("Imported"),
            describe_time(
                None if imported is None else round(imported.timestamp() * 1000), detail.zone
            ),
        )
        field = HashField(original.sha256, self)
        self.hashes.append(field)
        self.add_text(self.tr("SHA-256 fingerprint"), secondary=True)
        self.add_widget(field)
