"""Where a search's words appear in a text, for the list and the conversation to mark."""

from __future__ import annotations

from nco_desktop.timeline.search_matches import match_ranges


def test_every_place_ignoring_case_in_order():
    assert match_ranges("You know? I KNOW you.", ["know", "YOU"]) == [
        (0, 3),
        (4, 4),
        (12, 4),
        (17, 3),
    ]


def test_overlapping_and_touching_places_are_one_mark():
    assert match_ranges("aaaa", ["aa"]) == [(0, 4)]
    assert match_ranges("abcd", ["ab", "bc", "cd"]) == [(0, 4)]


def test_nothing_to_mark():
    assert match_ranges("", ["a"]) == []
    assert match_ranges("text", [None, "", "   "]) == []
    assert match_ranges("text", ["zz"]) == []


def test_a_text_that_lower_casing_lengthens_is_searched_as_written():
    text = "İstanbul, then Ankara"  # "İ".lower() is two characters: positions would drift
    assert match_ranges(text, ["Ankara"]) == [(15, 6)]
