"""The binder options form's PDF/A box: saved in the vault at once, shown again after."""

from __future__ import annotations

from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.saved_options import BinderChoices, load_choices, save_choices
from nco_desktop.ui.binder.binder_options_form import BinderOptionsForm


def test_the_pdfa_box_is_saved_at_once_and_read_back(qtbot, vault):
    form = BinderOptionsForm()
    qtbot.addWidget(form)
    form.load(vault)
    assert not form.pdfa.isChecked()
    assert "PDF/A" in form.pdfa.text() and "courts" in form.pdfa.text()
    with qtbot.waitSignal(form.saved):
        form.pdfa.setChecked(True)  # a tick is saved without any other step
    assert load_choices(vault).options.pdfa
    assert form.choices().options.pdfa

    again = BinderOptionsForm()
    qtbot.addWidget(again)
    again.load(vault)
    assert again.pdfa.isChecked()

    # Chosen elsewhere (the command line saves the same setting): the form follows.
    save_choices(vault, BinderChoices(BinderOptions(pdfa=False)))
    again.load(vault)
    assert not again.pdfa.isChecked()


def test_the_pdfa_box_is_off_while_no_vault_is_open(qtbot):
    form = BinderOptionsForm()
    qtbot.addWidget(form)
    form.load(None)
    assert not form.isEnabled() and not form.pdfa.isChecked()
