"""The user's review of every private detail the copy for the other side hides (issue #15).

Matching cannot know that "Will you stop" is not the child named Will: every place is
listed, hidden unless the user releases it, with keys that hold build after build. The
command line writes the list to a file the user edits; the window keeps the choices in
the vault.
"""

from __future__ import annotations

import io
import json
import stat

from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.copies import BuiltBinder, BuiltCopy, unreviewed
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.redaction import Redactor
from nco_desktop.binder.review import (
    Review,
    load_decisions,
    read_review_file,
    save_decisions,
)
from nco_desktop.binder.saved_options import BinderChoices
from nco_desktop.cli import main
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.audit import check_chain
from tests.conftest import PASSPHRASE, write_file

THREAT = "Will you stop? I will find you. Willow Park at 5. I know Will's school."


def _messages_vault(vault, tmp_path):
    write_file(
        tmp_path / "in" / "sms.xml",
        f"""<smses count="1"><sms address="+15550100199" date="1710300930000" type="1"
 body="{THREAT}" contact_name="John" /></smses>""",
    )
    assert import_paths(vault, [tmp_path / "in"], thumbnails=False).all_ok
    vault.set_settings({"case": {"petitioner": "Jane Doe", "redactions": ["Will"]}})
    return vault


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_a_name_hides_the_name_only_and_each_place_is_listed():
    review = Review()
    shown = Redactor(("Will",), review=review).apply(THREAT)
    assert shown == "████ you stop? I will find you. Willow Park at 5. I know ████'s school."
    first, second = (f.context for f in review.findings)
    assert first == "«Will» you stop? I will find you. Willow Park…"
    assert second == "…will find you. Willow Park at 5. I know «Will»'s school."
    assert {f.detail for f in review.findings} == {"Will"}


def test_a_released_place_stays_and_the_others_are_still_hidden():
    first = Review()
    Redactor(("Will",), review=first).apply(THREAT)
    sentence_start = first.findings[0].key
    again = Review(released={sentence_start})
    shown = Redactor(("Will",), review=again).apply(THREAT)
    assert shown.startswith("Will you stop?") and "████'s school" in shown
    assert [f.key for f in again.findings] == [f.key for f in first.findings]  # stable


def test_findings_name_where_they_are_and_keys_hold_between_builds(vault, tmp_path):
    _messages_vault(vault, tmp_path)
    options = BinderOptions(for_service=True)
    first = build_binder(vault, io.BytesIO(), options)
    again = build_binder(vault, io.BytesIO(), options)
    assert [f.key for f in first.findings] == [f.key for f in again.findings]
    assert {f.where for f in first.findings} == {"Pet. Ex. 1; Chronology"}  # one text, twice
    start = next(f.key for f in first.findings if f.context.startswith("«Will» you"))
    released = io.BytesIO()
    build_binder(vault, released, BinderOptions(for_service=True, released=frozenset({start})))
    text = _text(released.getvalue())
    assert "Will you stop?" in text and "I know Will's school" not in text
    assert "I will find you" in text and "Willow Park" in text


def test_the_windows_choices_are_kept_in_the_vault_and_audited(vault, tmp_path):
    _messages_vault(vault, tmp_path)
    result = build_binder(vault, io.BytesIO(), BinderOptions(for_service=True))
    keys = [f.key for f in result.findings]
    built = BuiltBinder(
        BuiltCopy(b"", 1), BuiltCopy(b"", 1, findings=tuple(result.findings)), 1, BinderChoices(), 0
    )
    assert unreviewed(built, vault) == result.findings  # nothing looked at yet
    assert save_decisions(vault, released=keys[:1], seen=keys)
    assert not save_decisions(vault, released=keys[:1], seen=keys)  # unchanged: no write
    assert load_decisions(vault) == (frozenset(keys[:1]), frozenset(keys))
    assert unreviewed(built, vault) == []
    rows = vault.conn.execute(
        "SELECT action, details_json FROM audit_log WHERE action = 'binder.redactions_reviewed'"
    ).fetchall()
    assert len(rows) == 1 and "Will" not in rows[0][1]  # counts only, no words
    assert check_chain(vault.conn).intact


def test_the_command_line_lists_then_builds_from_the_edited_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    with Vault.open(path, PASSPHRASE) as vault:
        _messages_vault(vault, tmp_path)
    review, out = tmp_path / "review.json", tmp_path / "binder.pdf"
    command = ["binder", "--vault", str(path), "--out", str(out), "--review-redactions", review]
    assert main([str(part) for part in command]) == 0
    printed = capsys.readouterr().out
    assert "Nothing else was written" in printed and not out.exists()
    assert stat.S_IMODE(review.stat().st_mode) == 0o600  # it names the details
    document = json.loads(review.read_text())
    assert document["findings"] and all(row["hide"] for row in document["findings"])
    for row in document["findings"]:
        row["hide"] = not row["context"].startswith("«Will» you")
    review.write_text(json.dumps(document))
    assert read_review_file(review)[0]  # one released
    assert main([str(part) for part in command]) == 0
    printed = capsys.readouterr().out
    assert "stay as you chose" in printed
    served = _text((tmp_path / "binder-for-service.pdf").read_bytes())
    assert "Will you stop?" in served and "Will's school" not in served
    assert "Will's school" in _text(out.read_bytes())  # the court's copy is whole
