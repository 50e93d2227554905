"""Binder choices live in the vault, saved in one audited change, read back whole."""

from __future__ import annotations

import pytest

from nco_desktop.binder.options import BinderOptions, Corner, LabelStyle, Paper
from nco_desktop.binder.saved_options import (
    OPTIONS_SETTING,
    BinderChoices,
    load_choices,
    save_choices,
)
from nco_desktop.case import InvalidRecord


def _audit_actions(vault) -> list[str]:
    return [a for (a,) in vault.conn.execute("SELECT action FROM audit_log ORDER BY seq")]


def test_choices_round_trip_and_an_unchanged_save_writes_nothing(vault):
    assert load_choices(vault) == BinderChoices()
    choices = BinderChoices(
        BinderOptions(
            paper=Paper.A4,
            labels=LabelStyle.LETTERS,
            prefix="  Resp.   Ex. ",
            bates=" ROE- ",
            stamp_corner=Corner.TOP_LEFT,
            pattern_page=True,
            for_service=True,  # per build, never saved
        ),
        service_copy=True,
        split_mb=20.0,
    )
    assert save_choices(vault, choices)
    loaded = load_choices(vault)
    assert loaded.options == BinderOptions(
        Paper.A4, LabelStyle.LETTERS, "Resp. Ex.", "ROE-", Corner.TOP_LEFT, False, True
    )
    assert loaded.service_copy and loaded.split_mb == 20.0
    assert _audit_actions(vault)[-1] == "binder.options_changed"
    rows = len(_audit_actions(vault))
    assert not save_choices(vault, loaded)
    assert len(_audit_actions(vault)) == rows


def test_a_damaged_or_old_setting_falls_back_to_defaults(vault):
    vault.set_settings({OPTIONS_SETTING: {"paper": "tabloid", "labels": "roman", "split_mb": "x"}})
    choices = load_choices(vault)
    assert choices.options.paper is Paper.LETTER
    assert choices.options.labels is LabelStyle.NUMBERS
    assert choices.split_mb is None
    vault.set_settings({OPTIONS_SETTING: ["not", "a", "dict"]})
    assert load_choices(vault) == BinderChoices()


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (BinderChoices(BinderOptions(prefix="P" * 30)), "prefix"),
        (BinderChoices(BinderOptions(bates="B" * 30)), "Bates"),
        (BinderChoices(split_mb=0.5), "volume size"),
    ],
)
def test_bad_choices_are_refused_with_a_reason(vault, choices, message):
    with pytest.raises(InvalidRecord, match=message):
        save_choices(vault, choices)
    assert load_choices(vault) == BinderChoices()


def test_a_blank_prefix_means_the_usual_one(vault):
    save_choices(vault, BinderChoices(BinderOptions(prefix="   "), False, None))
    assert load_choices(vault).options.prefix == BinderOptions().prefix
