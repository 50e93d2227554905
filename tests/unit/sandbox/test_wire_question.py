"""The question a reader may send back is checked like everything else a worker sends."""

from __future__ import annotations

import pytest

from nco_desktop.sandbox import wire


def test_a_workers_question_is_checked_like_everything_it_sends():
    """A reader may ask how a chat's dates are written (issue #18); a worker a hostile
    file took over could try to smuggle anything in that question instead."""
    fine = {
        "line": 3,
        "written": "3/9/24, 22:15",
        "day_first": "2024-09-03 22:15",
        "month_first": "2024-03-09 22:15",
        "suggested": "month-first",
        "senders": ["Alex Roe", "Sam Doe"],
    }
    assert wire.question(fine) == {"ask": "date_order", **fine}
    assert wire.question(None) is None
    who = {"ask": "me", "senders": ["Alex Roe", "Sam Doe"]}
    assert wire.question(who) == {
        **who,
        "written": "",
        "day_first": "",
        "month_first": "",
        "suggested": "",
        "line": 0,
    }
    for bad in (
        {**fine, "script": "rm -rf"},
        {**fine, "written": "x" * 201},
        {**fine, "line": -1},
        {**fine, "line": True},
        {**fine, "senders": ["a"] * 21},
        {**fine, "senders": [{"name": "a"}]},
        {**fine, "ask": "passphrase"},
        {**fine, "ask": ["me"]},
        ["not", "a", "dict"],
    ):
        with pytest.raises(wire.WireError):
            wire.question(bad)
