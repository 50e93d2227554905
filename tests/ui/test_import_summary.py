"""The window's import lists show hostile file names as they are, never as they pretend."""

from nco_desktop.importers.batch import FileResult, ImportSummary, Outcome
from nco_desktop.safe_text import is_unsafe
from nco_desktop.ui.importing.import_dialogs import ImportProgressDialog, ImportSummaryDialog

RLO = "\u202e"
HOSTILE = [
    FileResult(
        f"invoice{RLO}gpj.exe",
        f"/home/me/in/invoice{RLO}gpj.exe",
        Outcome.FAILED,
        message=f"the same file is already in the vault as “x{RLO}fdp.scr”",
    ),
    FileResult(
        "chat.zip\n<b>imported</b> fine.txt",
        "<img src='/etc/passwd'><b>big</b>",
        Outcome.KEPT,
        message="could not be read",
        problems=("“../\x1b]0;pwned\x07a.jpg” inside the zip was not imported \u2066x\u2069",),
    ),
]


def _texts(widget_list):
    return [widget_list.item(row) for row in range(widget_list.count())]


def test_the_summary_shows_names_and_reasons_visibly(qtbot):
    dialog = ImportSummaryDialog(ImportSummary(results=list(HOSTILE)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    first, second = _texts(dialog.problem_list)
    for item in (first, second):
        assert not [c for c in item.text() if c != "\n" and is_unsafe(c)]
        assert not [c for c in item.toolTip() if is_unsafe(c)]
    assert first.text().startswith("invoice\\u202egpj.exe\n")
    assert "“x\\u202efdp.scr”" in first.text()
    # One line for the name and one for the reason: a newline in the name forges nothing.
    name, words = second.text().split("\n")
    assert name == "chat.zip\\n<b>imported</b> fine.txt"
    assert "“../\\x1b]0;pwned\\x07a.jpg”" in words and "\\u2066x\\u2069" in words
    # Qt guesses whether a tooltip is rich text: the path is escaped, so it is shown.
    assert "&lt;img src=&#x27;/etc/passwd&#x27;&gt;&lt;b&gt;big&lt;/b&gt;" in second.toolTip()
    assert "<img" not in second.toolTip()


def test_the_progress_list_shows_names_visibly(qtbot):
    dialog = ImportProgressDialog()
    qtbot.addWidget(dialog)
    dialog.set_progress(0, 2, HOSTILE[0].name)
    assert dialog.current.text() == "invoice\\u202egpj.exe"
    for result in HOSTILE:
        dialog.add_result(result)
    first, second = _texts(dialog.files)
    assert first.text().startswith("invoice\\u202egpj.exe — ")
    assert "\n" not in second.text() and "chat.zip\\n<b>imported</b>" in second.text()
    for item in (first, second):
        assert not [c for c in item.text() + item.toolTip() if is_unsafe(c)]
    dialog.finish()


def test_the_headline_counts_files_in_plain_english(qtbot):
    """ "1 file(s) could not be imported" reads like a form (seen in the screenshots)."""
    one_each = [
        FileResult("a.jpg", "/in/a.jpg", Outcome.IMPORTED),
        FileResult("b.jpg", "/in/b.jpg", Outcome.FAILED, message="damaged"),
        FileResult("c.jpg", "/in/c.jpg", Outcome.FAILED, message="damaged"),
    ]
    dialog = ImportSummaryDialog(ImportSummary(results=one_each))
    qtbot.addWidget(dialog)
    text = dialog.headline.text()
    assert "(s)" not in text
    assert "1 file imported" in text and "2 files could not be imported." in text
