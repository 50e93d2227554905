"""The binder form's court choice: what it sets shows at once, is saved in the vault,
and the choices it fixes cannot be set against it until another court is chosen."""

from __future__ import annotations

from nco_desktop.binder.options import Court, Paper
from nco_desktop.binder.saved_options import load_choices
from nco_desktop.ui.binder.binder_options_form import BinderOptionsForm


def _choose(qtbot, form: BinderOptionsForm, court: Court) -> None:
    with qtbot.waitSignal(form.saved):
        form.court.setCurrentIndex(form.court.findData(court))


def test_choosing_new_york_sets_and_holds_its_rules(qtbot, vault):
    form = BinderOptionsForm()
    qtbot.addWidget(form)
    form.load(vault)
    assert form.court.currentData() == Court.ANY and form.court_words.isHidden()
    form.paper.setCurrentIndex(form.paper.findData(Paper.A4))  # the user's own A4 first
    _choose(qtbot, form, Court.NEW_YORK)
    saved = load_choices(vault)
    assert saved.options.court is Court.NEW_YORK and saved.options.pdfa
    assert saved.options.paper is Paper.LETTER and saved.split_mb == 100.0
    # The form shows what the court set, and holds it.
    assert form.paper.currentData() == Paper.LETTER and not form.paper.isEnabled()
    assert form.pdfa.isChecked() and not form.pdfa.isEnabled()
    assert form.split.isChecked() and not form.split.isEnabled()
    assert form.split_mb.value() == 100 and form.split_mb.maximum() == 100
    assert "New York" in form.pdfa.toolTip()
    assert not form.court_words.isHidden()
    assert "No links" in form.court_words.text() and "clerk" in form.court_words.text()

    # A smaller volume stays the user's to choose.
    form.split_mb.setValue(40)
    form.split_mb.editingFinished.emit()
    assert load_choices(vault).split_mb == 40.0

    # Another court: what New York held is free again, and the form says the new rules.
    _choose(qtbot, form, Court.WASHINGTON)
    assert form.pdfa.isEnabled() and form.split.isEnabled()
    assert "3 inches" in form.court_words.text()
    again = BinderOptionsForm()
    qtbot.addWidget(again)
    again.load(vault)
    assert again.court.currentData() == Court.WASHINGTON and not again.paper.isEnabled()


def test_each_exhibit_alone_is_a_saved_choice(qtbot, vault):
    form = BinderOptionsForm()
    qtbot.addWidget(form)
    form.load(vault)
    assert not form.per_exhibit.isChecked()
    assert "filed alone" in form.per_exhibit.toolTip()
    with qtbot.waitSignal(form.saved):
        form.per_exhibit.setChecked(True)
    assert load_choices(vault).per_exhibit
    again = BinderOptionsForm()
    qtbot.addWidget(again)
    again.load(vault)
    assert again.per_exhibit.isChecked()
