"""A verify report in plain words: what was checked, and OK or what is wrong and what
to do about it.

The person reading it is not technical and may be frightened by a red "problem": so
it says what each check means in everyday words, never claims more than the checks
show ("unchanged since it was written", never "tamper-proof"), and when something is
wrong, what to do first: keep everything as it is, and make a copy before anything
else happens to the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from nco_desktop.verification import VerifyReport

#: Problems listed in full; more are counted (the rest are in ``nco-desktop verify``).
SHOWN_PROBLEMS = 12


@dataclass(frozen=True)
class ReportWords:
    title: str
    text: str
    details: str


def _tr(text: str) -> str:
    return QCoreApplication.translate("verify", text)


def _n(one: str, many: str, count: int) -> str:
    """*one* or *many* with %1 as *count*: no English plural file ships yet, and "1
    original file(s)" reads like a form, not a sentence."""
    return _tr(one if count == 1 else many).replace("%1", f"{count:,}")


def describe_report(report: VerifyReport) -> ReportWords:
    megabytes = report.bytes_checked / 1_000_000
    checked = [
        _tr("Every page of the vault file: its encryption seal and its structure."),
        _n("%1 original file", "%1 original files", report.originals_checked)
        + _tr(
            " (%1 MB), each read again and compared with the fingerprint (SHA-256) "
            "taken when it was imported."
        ).replace("%1", f"{megabytes:,.1f}"),
        _n("%1 record of the change log", "%1 records of the change log", report.audit_rows)
        + _tr(", each linked to the one before, so an edit, removal or reordering would show."),
    ]
    what = _tr("What was checked:") + "\n" + "\n".join(f"• {line}" for line in checked)
    if report.audit_head is not None:
        what += "\n" + _tr("The change log ends at record %1 (%2…).").replace(
            "%1", str(report.audit_head.seq)
        ).replace("%2", report.audit_head.hash[:16])
    if report.intact:
        return ReportWords(
            _tr("The vault is unchanged"),
            _tr("Everything in the vault is as it was written. Nothing needs to be done."),
            what,
        )
    problems = report.problems
    listed = "\n".join(f"• {problem}" for problem in problems[:SHOWN_PROBLEMS])
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        listed += "\n" + _n("… and %1 more.", "… and %1 more.", more)
    todo = _tr(
        "What to do: do not delete or change anything. Make a backup now (File ▸ Back up "
        "the vault) so that what is there is kept, and keep any older backups as they "
        "are: they may still hold these files unchanged. Then ask someone you trust who "
        "knows computers, or your advocate, to look at it with you."
    )
    return ReportWords(
        _tr("The check found problems"),
        _n(
            "Something in the vault is not as it was written: one problem, told below.",
            "Something in the vault is not as it was written: %1 problems, told below.",
            len(problems),
        ),
        listed + "\n\n" + todo + "\n\n" + what,
    )
