"""The review of private details in the Binder view (issue #15): every place the copy
for the other side hides is listed, each can be released, the choice is kept and the
copy is built again from it; that copy is not printed or saved before the review."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt

from nco_desktop.binder.review import TEXT, UNREAD, Finding, load_decisions
from nco_desktop.binder.saved_options import BinderChoices, save_choices
from nco_desktop.case.details import save_case_details
from nco_desktop.importers.batch import import_paths
from nco_desktop.ui.binder.binder_page import BinderPage
from nco_desktop.ui.binder.redaction_review import RedactionReview
from nco_desktop.ui.common import prompts
from tests.conftest import write_file

THREAT = "Will you stop? I will find you at Willow Park. I know Will's school."


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _page(qtbot, vault, session, tmp_path) -> BinderPage:
    write_file(
        tmp_path / "in" / "sms.xml",
        f"""<smses count="1"><sms address="+15550100199" date="1710300930000" type="1"
 body="{THREAT}" contact_name="John Roe" /></smses>""",
    )
    assert import_paths(vault, [tmp_path / "in"], thumbnails=False).all_ok
    save_case_details(vault, {"petitioner": "Jane Doe"}, ["Will"])
    save_choices(vault, BinderChoices(service_copy=True))
    page = BinderPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 680)
    page.session.open(vault)
    page.show()
    qtbot.waitExposed(page)
    return page


def _build(qtbot, page: BinderPage) -> None:
    assert page.build()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert page.built is not None and page.built.service is not None


def test_a_released_place_is_kept_and_the_copy_is_built_again(qtbot, vault, session, tmp_path):
    page = _page(qtbot, vault, session, tmp_path)
    _build(qtbot, page)
    findings = page.built.service.findings
    assert len(findings) == 2 and page.review.box.isVisible()
    assert page.review.note.text() == (
        "Other side's copy: 2 private details hidden. Check them before printing or saving."
    )
    assert "████ you stop?" in _text(page.built.service.data)
    start = next(f.key for f in findings if f.context.startswith("«Will» you"))
    prompts.answer_next(frozenset({start}))
    assert not page.review.review()  # changed: built again, not ready yet
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    served = _text(page.built.service.data)
    assert "Will you stop?" in served and "████'s school" in served
    assert "I will find you at Willow Park" in served  # never touched
    assert "Will's school" in _text(page.built.court.data)
    assert page.built.released == frozenset({start})
    assert load_decisions(vault) == ({start}, {f.key for f in findings})
    assert "1 left as you chose" in page.review.note.text()
    assert "Check them" not in page.review.note.text()  # every place was looked at
    assert page.review.ready() and [a.kind for a in prompts.asked] == ["review"]
    page.session.detach()


def test_the_copy_is_not_saved_before_its_review(qtbot, vault, session, tmp_path):
    page = _page(qtbot, vault, session, tmp_path)
    _build(qtbot, page)
    prompts.answer_next(None)  # the review cancelled: nothing is asked or written after it
    assert not page.save()
    assert [a.kind for a in prompts.asked] == ["review"]
    assert list(tmp_path.glob("**/*.pdf")) == []
    page.session.detach()


def review_findings() -> list[Finding]:
    """Three places as a build lists them: one text twice, one released, a page not read."""
    return [
        Finding("a1", "Pet. Ex. 1; Chronology", "Will", "«Will» you stop? I will find…", TEXT),
        Finding("b2", "Pet. Ex. 1", "Will", "…Willow Park. I know «Will»'s school.", TEXT),
        Finding(
            "c3",
            "Pet. Ex. 2 · report.pdf, page 3",
            "",
            "The computer could not read this page's words to check them",
            UNREAD,
        ),
    ]


def test_the_dialog_lists_every_place_ticked_and_enter_keeps_them_hidden(qtbot):
    dialog = RedactionReview(review_findings(), frozenset({"b2"}), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.released() == {"b2"}  # as last chosen
    assert dialog.table.item(2, 2).text() == "(page not checked)"
    assert dialog.accept_button.isDefault()  # Enter builds again in memory, nothing else
    dialog.hide_all.click()
    assert dialog.released() == frozenset()
    dialog.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.released() == {"a1"}
