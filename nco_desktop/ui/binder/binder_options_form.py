"""How the binder looks: paper, exhibit labels, stamps, Bates numbers, extra pages and copies.

Read and saved through :mod:`nco_desktop.binder.saved_options` (kept in the vault, one
audited change per save), which the Exhibits view shares for label style and prefix —
so :meth:`BinderOptionsForm.load` is called again whenever that view may have changed
them. A choice is saved as soon as it is made; a typed prefix or Bates prefix when the
field is left (or before a build or a lock). A refused value stays in its field with
the reason below.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.courts import court_words, rules_for
from nco_desktop.binder.options import BinderOptions, Corner, Court, LabelStyle, Paper
from nco_desktop.binder.saved_options import (
    DEFAULT_SPLIT_MB,
    MAX_BATES_CHARS,
    MAX_PREFIX_CHARS,
    BinderChoices,
    load_choices,
    save_choices,
)
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.vault import Vault


class BinderOptionsForm(QWidget):
    saved = Signal()  # the choices changed in the vault

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = None
        self._loaded: BinderChoices | None = None
        self._filling = False
        self._declined = False  # the user unticked the other side's copy themselves
        self._ticked_for_user = False
        self.setAccessibleName(self.tr("How the binder looks"))
        heading = bold(QLabel(self.tr("How the binder looks"), self), 1.1)

        self.court = QComboBox(self)
        for court in Court:
            self.court.addItem(rules_for(court).name, court)
        # Its longest name must not widen the form past a narrow column (200 %).
        self.court.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.court.setMinimumContentsLength(14)
        self.court.setToolTip(
            self.tr("Sets the paper, file sizes and format the way that court asks for them")
        )
        self.court_words = quiet(plain_label("", self, selectable=False))
        self.paper = QComboBox(self)
        self.paper.addItem(self.tr("US Letter (8½ × 11 in)"), Paper.LETTER)
        self.paper.addItem(self.tr("A4 (210 × 297 mm)"), Paper.A4)
        self.labels = QComboBox(self)
        self.labels.addItem(self.tr("Numbers: 1, 2, 3 …"), LabelStyle.NUMBERS)
        self.labels.addItem(self.tr("Letters: A, B, C …"), LabelStyle.LETTERS)
        self.prefix = QLineEdit(self)
        self.prefix.setPlaceholderText("Pet. Ex.")
        self.prefix.setMaxLength(MAX_PREFIX_CHARS * 4)  # spaces are tidied; the service judges
        self.corner = QComboBox(self)
        for corner, words in (
            (Corner.BOTTOM_RIGHT, self.tr("Bottom right")),
            (Corner.BOTTOM_LEFT, self.tr("Bottom left")),
            (Corner.TOP_RIGHT, self.tr("Top right")),
            (Corner.TOP_LEFT, self.tr("Top left")),
        ):
            self.corner.addItem(words, corner)
        self.bates = QLineEdit(self)
        self.bates.setPlaceholderText(self.tr("optional, e.g. SMITH-"))
        self.bates.setMaxLength(MAX_BATES_CHARS * 4)
        self.bates_example = quiet(plain_label("", self, selectable=False))
        self.prefix_example = quiet(plain_label("", self, selectable=False))

        self.pattern_page = QCheckBox(self.tr("Add a “Pattern of contact” page"), self)
        self.pattern_page.setToolTip(
            self.tr(
                "After the chronology: the restrained person's calls and messages per day "
                "and by hour, late-night contacts marked"
            )
        )
        self.tabs = QCheckBox(self.tr("Print tabs on the divider pages"), self)
        self.tabs.setToolTip(
            self.tr(
                "A dark tab on each divider's outer edge, a step lower for each exhibit, "
                "so exhibits can be found by thumb"
            )
        )
        self.exhibit_declarations = QCheckBox(
            self.tr("Add a declaration to sign after each exhibit"), self
        )
        self.exhibit_declarations.setToolTip(
            self.tr("Some courts want one per exhibit; the binder always ends with one")
        )
        self.pdfa = QCheckBox(self.tr("PDF/A (archival PDF, some courts require it)"), self)
        self._pdfa_tip = self.tr(
            "PDF/A-2b, the archival kind of PDF some e-filing systems ask for (New "
            "York's appellate courts, for one). The pages look the same."
        )
        self.pdfa.setToolTip(self._pdfa_tip)
        self.service_copy = QCheckBox(self.tr("Also make a redacted copy for the other side"), self)
        self.service_note = quiet(plain_label("", self, selectable=False))
        self.split = QCheckBox(self.tr("Split into volumes under"), self)
        self.split_mb = QSpinBox(self)
        self.split_mb.setRange(1, 10_000)
        self.split_mb.setValue(int(DEFAULT_SPLIT_MB))
        self.split_mb.setSuffix(" MB")
        self.split_mb.setAccessibleName(self.tr("Largest size of one volume, in megabytes"))
        split_row = QHBoxLayout()
        split_row.setContentsMargins(0, 0, 0, 0)
        split_row.addWidget(self.split)
        split_row.addWidget(self.split_mb)
        split_row.addStretch(1)
        self.per_exhibit = QCheckBox(self.tr("Also save each exhibit as a PDF of its own"), self)
        self.per_exhibit.setToolTip(
            self.tr(
                "For courts that want each exhibit filed alone: NAME-ex1.pdf, NAME-ex2.pdf "
                "…, with the cover and index, and the appendix, in files of their own. Page "
                "numbers stay as in the whole binder."
            )
        )
        split_note = quiet(
            plain_label(
                self.tr(
                    "For e-filing: many courts accept files up to 25 MB. Page numbers carry "
                    "on from one volume to the next."
                ),
                self,
                selectable=False,
            )
        )

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, field, name in (
            (
                self.tr("Court rules to follo&w"),
                self.court,
                self.tr("The court whose filing rules to follow"),
            ),
            (self.tr("P&aper"), self.paper, self.tr("Paper size")),
            (self.tr("Label st&yle"), self.labels, self.tr("Exhibit label style")),
            (self.tr("Labe&l prefix"), self.prefix, self.tr("Exhibit label prefix")),
            (self.tr("Stamp c&orner"), self.corner, self.tr("Corner for the exhibit stamp")),
            (self.tr("Bates prefi&x"), self.bates, self.tr("Bates number prefix")),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            field.setAccessibleName(name)
            form.addRow(label, field)
            if field is self.court:
                form.addRow("", self.court_words)
            if field is self.prefix:
                form.addRow("", self.prefix_example)
            if field is self.bates:
                form.addRow("", self.bates_example)

        self.status = plain_label("", self, selectable=False)
        self.status.setObjectName("errorText")
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.pattern_page)
        layout.addWidget(self.tabs)
        layout.addWidget(self.exhibit_declarations)
        layout.addWidget(self.pdfa)
        layout.addWidget(self.service_copy)
        layout.addWidget(self.service_note)
        layout.addLayout(split_row)
        layout.addWidget(split_note)
        layout.addWidget(self.per_exhibit)
        layout.addWidget(self.status)

        for combo in (self.court, self.paper, self.labels, self.corner):
            combo.currentIndexChanged.connect(self._chosen)
        for box in (
            self.pattern_page,
            self.tabs,
            self.exhibit_declarations,
            self.pdfa,
            self.service_copy,
            self.split,
            self.per_exhibit,
        ):
            box.toggled.connect(self._chosen)
        self.split_mb.editingFinished.connect(self._chosen)
        for edit in (self.prefix, self.bates):
            edit.editingFinished.connect(self._chosen)
            edit.textChanged.connect(self._show_examples)
        self.split.toggled.connect(self.split_mb.setEnabled)
        self.court.currentIndexChanged.connect(
            lambda: self._show_court(Court(self.court.currentData()))
        )
        self.service_copy.toggled.connect(self.service_note.setVisible)
        self.service_copy.toggled.connect(self._service_toggled)
        self.labels.currentIndexChanged.connect(self._show_examples)
        guard_wheel(self)  # each choice is saved at once: a scroll must not make one
        self.load(None)

    # ----- the contract ------------------------------------------------------------------

    def load(self, vault: Vault | None) -> None:
        """Show *vault*'s saved choices (defaults when locked, then disabled)."""
        if vault is not self._vault:
            self._declined = self._ticked_for_user = False
        self._vault = vault
        self._loaded = None if vault is None else load_choices(vault)
        self._fill(self._loaded or BinderChoices())
        self._say("")
        self.setEnabled(vault is not None)

    def choices(self) -> BinderChoices:
        """The choices as the form shows them (saved or not)."""
        options = BinderOptions(
            paper=Paper(self.paper.currentData()),
            labels=LabelStyle(self.labels.currentData()),
            prefix=self.prefix.text().strip() or BinderOptions().prefix,
            bates=self.bates.text().strip() or None,
            stamp_corner=Corner(self.corner.currentData()),
            pattern_page=self.pattern_page.isChecked(),
            tabs=self.tabs.isChecked(),
            exhibit_declarations=self.exhibit_declarations.isChecked(),
            pdfa=self.pdfa.isChecked(),
            court=Court(self.court.currentData()),
        )
        split = float(self.split_mb.value()) if self.split.isChecked() else None
        return BinderChoices(
            options, self.service_copy.isChecked(), split, self.per_exhibit.isChecked()
        )

    def is_dirty(self) -> bool:
        return self._vault is not None and self.choices() != self._loaded

    def save(self) -> bool:
        """Save the shown choices in one audited change; False, with the reason, if refused."""
        vault = self._vault
        if vault is None or not self.is_dirty():
            return True
        try:
            changed = save_choices(vault, self.choices())
        except Exception as error:
            self._say(self.tr("Not saved: %1").replace("%1", prompts.explain(error)))
            return False
        self._loaded = load_choices(vault)
        if self.choices() != self._loaded:  # a court's rules changed some choices: show them
            self._fill(self._loaded)
        self._say("")
        if changed:
            self.saved.emit()
        return True

    def set_private_details_listed(self, listed: bool) -> None:
        """Say what the other side's copy removes, given the cover form's private details."""
        text = self.tr(
            "Text inside pictures and scanned pages cannot be checked: look through that "
            "copy before you serve it."
        )
        if self._ticked_for_user and self.service_copy.isChecked():
            text = (
                self.tr(
                    "Ticked for you when you listed private details: untick it if you do "
                    "not need a copy for the other side."
                )
                + " "
                + text
            )
        if not listed:
            text = (
                self.tr(
                    "You have not listed private details under “Cover of the binder” yet: "
                    "without them, only photo locations are removed."
                )
                + " "
                + text
            )
        self.service_note.setText(text)

    def private_details_begun(self) -> None:
        """The user began listing private details: make the copy that removes them.

        Without it, "Print 3 copies" would hand the other side the court's copy with
        those details in it. A user who unticked the box themselves keeps their choice.
        """
        if self._vault is None or self._declined or self.service_copy.isChecked():
            return
        self._ticked_for_user = True
        self.service_copy.setChecked(True)  # saved at once, as a tick by hand would be

    # ----- internals ---------------------------------------------------------------------

    def _service_toggled(self, checked: bool) -> None:
        if not checked and not self._filling:
            self._declined = True

    def _fill(self, choices: BinderChoices) -> None:
        self._filling = True
        try:
            options = choices.options
            self.court.setCurrentIndex(max(0, self.court.findData(options.court)))
            self.paper.setCurrentIndex(max(0, self.paper.findData(options.paper)))
            self.labels.setCurrentIndex(max(0, self.labels.findData(options.labels)))
            self.prefix.setText(options.prefix)
            self.corner.setCurrentIndex(max(0, self.corner.findData(options.stamp_corner)))
            self.bates.setText(options.bates or "")
            self.pattern_page.setChecked(options.pattern_page)
            self.tabs.setChecked(options.tabs)
            self.exhibit_declarations.setChecked(options.exhibit_declarations)
            self.pdfa.setChecked(options.pdfa)
            self.service_copy.setChecked(choices.service_copy)
            self.split.setChecked(choices.split_mb is not None)
            self.split_mb.setValue(round(choices.split_mb or DEFAULT_SPLIT_MB))
            self.split_mb.setEnabled(choices.split_mb is not None)
            self.per_exhibit.setChecked(choices.per_exhibit)
            self.service_note.setVisible(choices.service_copy)
            self._show_court(options.court)
        finally:
            self._filling = False
        self._show_examples()

    def _show_court(self, court: Court) -> None:
        """Say what the court sets, and hold the choices it fixes (paper, PDF/A, the
        largest volume), each with its reason, so they cannot be set against it."""
        rules = rules_for(court)
        words = court_words(court)
        self.court_words.setText("\n".join(f"• {line}" for line in words))
        self.court_words.setVisible(bool(words))
        why = self.tr("Set by the court you chose: %1").replace("%1", rules.name)
        self.paper.setEnabled(rules.paper is None)
        self.paper.setToolTip(why if rules.paper is not None else "")
        self.pdfa.setEnabled(not rules.pdfa)
        self.pdfa.setToolTip(why if rules.pdfa else self._pdfa_tip)
        limit = rules.max_file_mb
        self.split.setEnabled(limit is None)
        self.split.setToolTip(why if limit is not None else "")
        self.split_mb.setMaximum(int(limit) if limit is not None else 10_000)

    def _chosen(self, *_args: object) -> None:
        if not self._filling:
            self.save()

    def _show_examples(self, *_args: object) -> None:
        prefix = " ".join(self.prefix.text().split()) or BinderOptions().prefix
        first = "A" if self.labels.currentData() == LabelStyle.LETTERS else "1"
        self.prefix_example.setText(
            self.tr("Stamped on each page as “%1 %2 — p. 1 of 4”.")
            .replace("%1", prefix)
            .replace("%2", first)
            + " "
            + self.tr("Often “Pet. Ex.” for the petitioner, “Resp. Ex.” for the respondent.")
        )
        bates = "".join(self.bates.text().split())
        if bates:
            self.bates_example.setText(
                self.tr("Pages numbered %1, %2 …")
                .replace("%1", f"{bates}{1:06d}")
                .replace("%2", f"{bates}{2:06d}")
            )
        else:
            self.bates_example.setText(
                self.tr("None. Some courts ask for one number per page, like SMITH-000001.")
            )

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
