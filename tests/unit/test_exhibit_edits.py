"""Choosing exhibits by id on real vault files: one audited change each, no words in the
audit log, dense positions, and bad input refused with the vault as it was."""

from __future__ import annotations

import pytest

from nco_desktop.binder.exhibits import (
    MAX_DESCRIPTION_CHARS,
    MAX_TITLE_CHARS,
    add_exhibit,
    add_exhibit_entries,
    create_exhibit,
    delete_exhibit,
    exhibit_entry_ids,
    exhibit_order,
    exhibit_overview,
    list_exhibits,
    move_exhibit,
    move_exhibit_to,
    remove_exhibit,
    remove_exhibit_entries,
    reordered,
    set_exhibit_items,
    sort_entries,
    stepped,
    suggest_exhibits,
    update_exhibit,
)
from nco_desktop.binder.plan import auto_groups
from nco_desktop.case import InvalidRecord
from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.evidence.records import CallType, Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timeline.query import iter_entries
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault

T0 = 1_762_834_500_000  # 2025-11-10 22:15 in Chicago
MINUTE = 60_000
SECRET_TITLE = "Texts about my sister's house on Elm"
SECRET_DESCRIPTION = "He wrote these after I moved to 12 Elm St."


def seed(vault: Vault) -> dict[str, list[int]]:
    """Two people's messages, one person's calls, a picture, a document, an incident."""
    ids: dict[str, list[int]] = {"jordan": [], "casey": [], "calls": [], "other": []}
    with vault.change() as change:

        def entry(kind: EntryKind, n: int, **fields: object) -> int:
            new = add_entry(
                change,
                NewEntry(
                    kind=kind,
                    occurred_ms=T0 + n * MINUTE,
                    time_source=TimeSource.EXPORT_FIELD,
                    **fields,
                ),
            )
            assert new is not None
            return new

        for n in range(3):
            ids["jordan"].append(
                entry(
                    EntryKind.MESSAGE,
                    n,
                    direction=Direction.INCOMING,
                    party="+13125550147",
                    party_key="+13125550147",
                    party_name="Jordan",
                    text=f"message {n}",
                )
            )
        for n in range(2):
            ids["casey"].append(
                entry(
                    EntryKind.MESSAGE,
                    10 + n,
                    direction=Direction.INCOMING,
                    party="+13125550100",
                    party_key="+13125550100",
                    party_name="Casey",
                    text=f"other {n}",
                )
            )
        for n in range(2):
            ids["calls"].append(
                entry(
                    EntryKind.CALL,
                    20 + n,
                    party="+13125550147",
                    party_key="+13125550147",
                    call_type=CallType.MISSED,
                )
            )
        ids["other"].append(entry(EntryKind.IMAGE, 30, text="screenshot"))
        ids["other"].append(entry(EntryKind.DOCUMENT, 40, text="police report"))
        change.audit("test.seed")
    ids["incident"] = [add_incident(vault, NewIncident(occurred_ms=T0, summary="Followed me"))]
    return ids


def audit_rows(vault: Vault) -> list[tuple[str, str]]:
    return list(vault.conn.execute("SELECT action, details_json FROM audit_log ORDER BY seq"))


def snapshot(vault: Vault) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    exhibits = vault.conn.execute("SELECT * FROM exhibits ORDER BY id").fetchall()
    items = vault.conn.execute(
        "SELECT * FROM exhibit_items ORDER BY exhibit_id, entry_id"
    ).fetchall()
    (audits,) = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()
    return exhibits, items, audits


def positions(vault: Vault) -> tuple[list[int], dict[int, list[int]]]:
    exhibits = [p for (p,) in vault.conn.execute("SELECT position FROM exhibits ORDER BY position")]
    items: dict[int, list[int]] = {}
    for exhibit_id, position in vault.conn.execute(
        "SELECT exhibit_id, position FROM exhibit_items ORDER BY exhibit_id, position"
    ):
        items.setdefault(exhibit_id, []).append(position)
    return exhibits, items


def assert_dense(vault: Vault) -> None:
    exhibits, items = positions(vault)
    assert exhibits == list(range(1, len(exhibits) + 1))
    for places in items.values():
        assert places == list(range(len(places)))


def assert_one_audit_row(vault: Vault, before: int, action: str) -> dict[str, object]:
    import json

    rows = audit_rows(vault)
    assert len(rows) == before + 1
    assert rows[-1][0] == action
    details = json.loads(rows[-1][1])
    for value in details.values():  # ids, counts, places, field names: nothing typed
        assert isinstance(value, int | list)
    return details


def test_create_edit_fill_reorder_and_remove_by_id(vault):
    ids = seed(vault)
    jordan, casey = ids["jordan"], ids["casey"]
    before = len(audit_rows(vault))
    first = create_exhibit(vault, f"  {SECRET_TITLE} ", SECRET_DESCRIPTION, [*jordan, jordan[0]])
    assert assert_one_audit_row(vault, before, "exhibit.added") == {
        "exhibit_id": first,
        "entries": 3,
        "place": 1,
    }
    assert exhibit_entry_ids(vault.conn, first) == jordan
    second = create_exhibit(vault, "Calls", entry_ids=ids["calls"])
    third = create_exhibit(vault, "Casey", entry_ids=casey, index=0)
    assert exhibit_order(vault.conn) == [third, first, second]
    (overview, *_) = exhibit_overview(vault.conn)
    assert (overview.id, overview.place, overview.item_count) == (third, 1, 2)
    assert (overview.first_ms, overview.last_ms) == (T0 + 10 * MINUTE, T0 + 11 * MINUTE)
    assert_dense(vault)

    before = len(audit_rows(vault))
    assert update_exhibit(vault, first, "Texts\nfrom Jordan", "  They came at night.\r\n ")
    assert assert_one_audit_row(vault, before, "exhibit.edited")["fields"] == [
        "title",
        "description",
    ]
    row = next(r for r in list_exhibits(vault) if r.id == first)
    assert (row.title, row.description) == ("Texts from Jordan", "They came at night.")
    assert not update_exhibit(vault, first, "Texts from Jordan", "They came at night.")
    assert len(audit_rows(vault)) == before + 1  # unchanged: nothing written

    # add at a place, skipping what is already there
    before = len(audit_rows(vault))
    assert add_exhibit_entries(vault, first, [casey[0], jordan[1], casey[1]], index=1) == 2
    assert assert_one_audit_row(vault, before, "exhibit.entries_added") == {
        "exhibit_id": first,
        "added": 2,
        "at": 1,
    }
    assert exhibit_entry_ids(vault.conn, first) == [jordan[0], casey[0], casey[1], *jordan[1:]]
    assert add_exhibit_entries(vault, first, [jordan[0]]) == 0  # nothing new: nothing written
    assert len(audit_rows(vault)) == before + 1

    # reorder, then take some out
    new_order = [jordan[2], jordan[1], jordan[0], casey[1], casey[0]]
    assert set_exhibit_items(vault, first, new_order)
    assert exhibit_entry_ids(vault.conn, first) == new_order
    assert not set_exhibit_items(vault, first, new_order)
    before = len(audit_rows(vault))
    assert remove_exhibit_entries(vault, first, [casey[0], casey[1], 99_999]) == 2
    assert assert_one_audit_row(vault, before, "exhibit.entries_removed")["removed"] == 2
    assert exhibit_entry_ids(vault.conn, first) == [jordan[2], jordan[1], jordan[0]]
    assert remove_exhibit_entries(vault, first, [casey[0]]) == 0
    assert_dense(vault)

    # move by id, then remove by id: the evidence stays
    assert move_exhibit_to(vault, second, 0)
    assert exhibit_order(vault.conn) == [second, third, first]
    assert not move_exhibit_to(vault, second, 0)
    before = len(audit_rows(vault))
    delete_exhibit(vault, third)
    assert assert_one_audit_row(vault, before, "exhibit.removed") == {
        "exhibit_id": third,
        "entries": 2,
    }
    assert exhibit_order(vault.conn) == [second, first]
    assert vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 10
    assert_dense(vault)

    everything = "\n".join(f"{a} {d}" for a, d in audit_rows(vault))
    for words in ("Elm", "sister", "Texts", "Jordan", "night", "Casey", "Calls"):
        assert words not in everything
    assert verify_vault(vault).intact


@pytest.mark.parametrize(
    ("title", "description", "reason"),
    [
        ("  \n ", "", "needs a title"),
        ("x" * (MAX_TITLE_CHARS + 1), "", f"at most {MAX_TITLE_CHARS} characters"),
        ("Fine", "y" * (MAX_DESCRIPTION_CHARS + 1), "at most 2,000 characters"),
    ],
)
def test_bad_text_is_refused_and_changes_nothing(vault, title, description, reason):
    ids = seed(vault)
    exhibit = create_exhibit(vault, "Texts", entry_ids=ids["jordan"])
    before = snapshot(vault)
    with pytest.raises(InvalidRecord, match=reason):
        update_exhibit(vault, exhibit, title, description)
    with pytest.raises(InvalidRecord, match=reason):
        create_exhibit(vault, title, description)
    assert snapshot(vault) == before
    assert verify_vault(vault).intact


def test_bad_ids_and_places_are_refused_and_change_nothing(vault):
    ids = seed(vault)
    exhibit = create_exhibit(vault, "Texts", entry_ids=ids["jordan"])
    other = create_exhibit(vault, "Calls", entry_ids=ids["calls"])
    before = snapshot(vault)
    incident = ids["incident"][0]
    attempts = [
        (lambda: add_exhibit_entries(vault, exhibit, [ids["casey"][0], 99_999]), "no entry 99999"),
        (lambda: add_exhibit_entries(vault, exhibit, [incident]), "chronology"),
        (lambda: add_exhibit_entries(vault, exhibit, ids["casey"], index=9), "no place 9"),
        (lambda: add_exhibit_entries(vault, 4_242, ids["casey"]), "no longer in the vault"),
        (lambda: create_exhibit(vault, "Incident", entry_ids=[incident]), "chronology"),
        (lambda: create_exhibit(vault, "Late", index=3), "no place 3"),
        (lambda: set_exhibit_items(vault, exhibit, [*ids["jordan"], incident]), "chronology"),
        (lambda: set_exhibit_items(vault, exhibit, [1.5]), "entry number"),
        (lambda: set_exhibit_items(vault, 4_242, []), "no longer in the vault"),
        (lambda: remove_exhibit_entries(vault, 4_242, [1]), "no longer in the vault"),
        (lambda: move_exhibit_to(vault, exhibit, 2), "no place 2"),
        (lambda: move_exhibit_to(vault, other, -1), "no place -1"),
        (lambda: move_exhibit_to(vault, 4_242, 0), "no longer in the vault"),
        (lambda: delete_exhibit(vault, 4_242), "no longer in the vault"),
        (lambda: update_exhibit(vault, 4_242, "A", ""), "no longer in the vault"),
        (lambda: suggest_exhibits(vault), "asked for"),
    ]
    for attempt, reason in attempts:
        with pytest.raises(InvalidRecord, match=reason):
            attempt()
    assert snapshot(vault) == before
    assert verify_vault(vault).intact


def test_an_incident_put_in_by_the_command_line_may_stay_when_reordering(vault):
    ids = seed(vault)
    incident = ids["incident"][0]
    exhibit = add_exhibit(vault, "Old", "", [incident, *ids["jordan"]])  # the CLI allows it
    assert set_exhibit_items(vault, exhibit, [*ids["jordan"], incident])
    assert exhibit_entry_ids(vault.conn, exhibit) == [*ids["jordan"], incident]


def test_sort_entries_keeps_order_and_names_incidents_and_unknown_ids(vault):
    ids = seed(vault)
    incident = ids["incident"][0]
    a, b, _ = ids["jordan"]
    sorting = sort_entries(vault.conn, [b, 77_777, incident, a, b])
    assert sorting.usable == (b, a)
    assert sorting.incidents == (incident,)
    assert sorting.unknown == (77_777,)


def test_suggest_groups_like_the_binder_and_replaces_only_when_asked(vault):
    assert suggest_exhibits(vault) == 0  # nothing to group: nothing written
    assert exhibit_order(vault.conn) == []
    ids = seed(vault)
    before = len(audit_rows(vault))
    made = suggest_exhibits(vault)
    groups = auto_groups(list(iter_entries(vault.conn)))
    assert made == len(groups) == 5  # Jordan's texts, Casey's, the calls, picture, document
    assert assert_one_audit_row(vault, before, "exhibits.suggested") == {
        "exhibits": 5,
        "entries": 9,
        "replaced": 0,
    }
    overview = exhibit_overview(vault.conn)
    assert [o.title for o in overview] == [title for _kind, title, _members in groups]
    assert exhibit_entry_ids(vault.conn, overview[0].id) == ids["jordan"]
    assert all(ids["incident"][0] not in exhibit_entry_ids(vault.conn, o.id) for o in overview)
    assert_dense(vault)

    update_exhibit(vault, overview[0].id, SECRET_TITLE, "")
    with pytest.raises(InvalidRecord):
        suggest_exhibits(vault)
    before = len(audit_rows(vault))
    assert suggest_exhibits(vault, replace=True) == 5
    assert assert_one_audit_row(vault, before, "exhibits.suggested")["replaced"] == 5
    assert SECRET_TITLE not in [o.title for o in exhibit_overview(vault.conn)]
    assert vault.conn.execute("SELECT count(*) FROM exhibit_items").fetchone()[0] == 9
    assert_dense(vault)
    assert verify_vault(vault).intact


def test_the_command_line_functions_keep_their_places_dense(vault):
    ids = seed(vault)
    for title in ("One", "Two", "Three"):
        add_exhibit(vault, title, "", ids["jordan"])
    move_exhibit(vault, 3, 1)
    assert [r.title for r in list_exhibits(vault)] == ["Three", "One", "Two"]
    remove_exhibit(vault, 1)
    assert [r.title for r in list_exhibits(vault)] == ["One", "Two"]
    assert_dense(vault)
    with pytest.raises(InvalidRecord, match="needs a title"):
        add_exhibit(vault, " ", "", ids["jordan"])


def test_reordered_puts_the_block_where_the_drop_was():
    order = [1, 2, 3, 4, 5]
    assert reordered(order, [1], 3) == [2, 3, 1, 4, 5]
    assert reordered(order, [5], 0) == [5, 1, 2, 3, 4]
    assert reordered(order, [2, 4], 5) == [1, 3, 5, 2, 4]
    assert reordered(order, [4, 2], 1) == [1, 2, 4, 3, 5]
    assert reordered(order, [3], 3) == order  # onto itself
    assert reordered(order, [3], 99) == [1, 2, 4, 5, 3]


def test_stepped_moves_each_chosen_id_one_place():
    order = [1, 2, 3, 4, 5]
    assert stepped(order, [3], -1) == [1, 3, 2, 4, 5]
    assert stepped(order, [3], +1) == [1, 2, 4, 3, 5]
    assert stepped(order, [1], -1) == order
    assert stepped(order, [1, 2], -1) == order  # a block at the top stays
    assert stepped(order, [2, 4], -1) == [2, 1, 4, 3, 5]
    assert stepped(order, [4, 5], +1) == order
    assert stepped(order, [3, 4], +1) == [1, 2, 5, 3, 4]


def test_a_suggested_title_with_a_bracketed_number_reads_cleanly(vault):
    with vault.change() as change:
        add_entry(
            change,
            NewEntry(
                kind=EntryKind.CALL,
                occurred_ms=T0,
                time_source=TimeSource.EXPORT_FIELD,
                direction=Direction.INCOMING,
                party="(312) 555-0147",  # as the phone's call log wrote it
                party_key="+13125550147",
                party_name="Jordan Blake",
                call_type=CallType.MISSED,
            ),
        )
        change.audit("test.seed")
    assert suggest_exhibits(vault) == 1
    (only,) = exhibit_overview(vault.conn)
    assert only.title == "Call log with Jordan Blake, (312) 555-0147"
