"""The command line's ``binder``: both copies built straight to files, and the review
of private details for the copy for the other side as a file the user edits.

The rules are the window's (:mod:`nco_desktop.binder.copies`, :mod:`nco_desktop.binder.review`);
``--review-redactions FILE`` makes the same review work in scripts: the first run lists
every place a private detail was found in FILE (nothing else is written), the user sets
``"hide": false`` where a place may stay, and the next run builds from it.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from nco_desktop.binder.assemble import BinderResult, build_binder
from nco_desktop.binder.copies import (
    E_FILING_LIMIT,
    MEGABYTE,
    copy_options,
    exhibits_without_items,
    marks_naming_private,
    planned_names,
    service_path,
    volume_bytes,
)
from nco_desktop.binder.courts import apply_court, conflicts, court_words, name_too_long, rules_for
from nco_desktop.binder.exhibit_files import (
    exhibit_spans,
    leftover_words,
    leftovers,
    write_exhibit_files,
)
from nco_desktop.binder.exhibit_list import exhibit_rows, write_exhibit_list
from nco_desktop.binder.options import BinderOptions, Corner, Court, LabelStyle, Paper
from nco_desktop.binder.output import recordings_folder, remember_export_folders
from nco_desktop.binder.pattern_page import pattern_summary
from nco_desktop.binder.pdfa import pdfa_gap_words
from nco_desktop.binder.plan import build_plan
from nco_desktop.binder.recordings import export_recordings, export_service_recordings
from nco_desktop.binder.review import (
    UNREAD,
    Finding,
    load_decisions,
    read_review_file,
    write_review_file,
)
from nco_desktop.binder.saved_options import BinderChoices
from nco_desktop.binder.searchable import unsearchable_words
from nco_desktop.binder.sections import pages_words
from nco_desktop.binder.volumes import PageTooLarge, split
from nco_desktop.case.details import private_details
from nco_desktop.errors import NcoError
from nco_desktop.safe_text import safe_line
from nco_desktop.vault import Vault

Say = Callable[..., None]
OpenVault = Callable[[argparse.Namespace], AbstractContextManager[Vault]]


def cmd_binder(args: argparse.Namespace, say: Say, open_vault: OpenVault) -> int:
    """Build the court's copy (and the copy for service) straight to files.

    The rules are the window's (:mod:`nco_desktop.binder.copies`); only the output
    differs: the window builds into memory for its preview, the CLI to the files named,
    so a large binder is not held in memory as bytes as well.
    """
    court = Court(args.court)
    refused = conflicts(court, Paper(args.paper) if args.paper else None, args.split_mb or None)
    if refused:
        say(f"{'; '.join(refused)}. Leave that option out, or choose --court any.", err=True)
        return 2
    choices = BinderChoices(
        options=BinderOptions(
            court=court,
            paper=Paper(args.paper or Paper.LETTER.value),
            labels=LabelStyle(args.labels),
            prefix=args.prefix.strip(),
            bates=args.bates,
            stamp_corner=Corner(args.stamp_corner),
            pattern_page=args.pattern_page,
            tabs=args.tabs,
            exhibit_declarations=args.exhibit_declarations,
            pdfa=args.pdfa,
        ),
        service_copy=args.redact_for_service or args.review_redactions is not None,
        split_mb=args.split_mb or None,
        per_exhibit=args.per_exhibit,
    )
    choices = apply_court(choices)
    for line in court_words(court):
        say(f"{rules_for(court).name}: {line}")
    too_long = name_too_long(court, planned_names(args.out, choices, args.exhibit_list))
    if too_long is not None:
        say(too_long, err=True)
        return 2
    review_file: Path | None = args.review_redactions
    if review_file is not None and not review_file.exists():
        return _write_review(args, choices, review_file, say, open_vault)
    with open_vault(args) as vault:
        for empty in exhibits_without_items(vault):
            say(
                f"Exhibit {empty.place} “{empty.title}” has no items: it prints as a divider "
                "page with nothing after it (exhibit remove, or add entries to it)."
            )
        if args.pattern_page and pattern_summary(vault) is None:
            say(
                "No “Pattern of contact” page: no one is saved as the restrained person "
                "(person add --role restrained --phone …), or none of the timeline is theirs."
            )
        folders = [args.out.parent]
        if args.export_recordings:
            folders.append(recordings_folder(args.out))
            if choices.service_copy:
                folders.append(recordings_folder(service_path(args.out)))
        remember_export_folders(vault, folders)  # before any byte is written there
        paths = [args.out, service_path(args.out)]
        released, listed = load_decisions(vault)[0], None
        if review_file is not None:
            released, listed = read_review_file(review_file)
        each = copy_options(choices, released)
        results = [
            build_binder(vault, path, options) for path, options in zip(paths, each, strict=False)
        ]
        if len(results) > 1:
            _say_hidden(results[1].findings, released, listed, say)
        listed_exhibits = None
        if args.exhibit_list:  # the court's copy's exhibits, as its pages give them
            built = results[0]
            rows = exhibit_rows(build_plan(vault, each[0]), built.first_pages, built.exhibit_pages)
            listed_exhibits = write_exhibit_list(args.out, rows)
        if (warning := marks_naming_private(vault, choices)) is not None:
            say(warning, err=True)
        if choices.service_copy and not private_details(vault):
            say(
                "No private details were given (case --redact …): only photo locations "
                "were removed from the copy for service."
            )
        recordings = (
            export_recordings(vault, args.out, choices.options) if args.export_recordings else []
        )
        served = (
            export_service_recordings(vault, service_path(args.out), choices.options)
            if args.export_recordings and choices.service_copy
            else None
        )
    limit = volume_bytes(choices.split_mb)
    unsplit = False  # a page alone was larger than a volume may be
    written: list[Path] = []
    for result in results:
        binder_path = result.path or args.out  # built to a file: path is always set
        written.append(binder_path)
        say(
            f"Wrote {result.pages} pages, {result.exhibits} exhibits, "
            f"{result.size / MEGABYTE:.1f} MB to “{binder_path}”."
        )
        if result.pages_without_fonts:
            say(f"  {pdfa_gap_words(result.pages_without_fonts)}")
        if result.unsearchable:
            say(f"  {unsearchable_words(result.unsearchable)}", err=True)
        if choices.per_exhibit and result.exhibits:
            parts = _write_parts(binder_path, result, choices, say)
            written += parts or []
            unsplit |= parts is None
            if limit is not None and result.size > limit:
                say(
                    f"  “{binder_path.name}” is larger than {limit / MEGABYTE:g} MB: file the "
                    "exhibits' own files listed above, not this one."
                )
        elif limit is not None:
            try:
                volumes = split(binder_path, limit)
            except PageTooLarge as too_large:  # the other copy is still split
                say(f"  {too_large}", err=True)
                volumes, unsplit = [], True
            written += [volume.path for volume in volumes]
            for volume in volumes:
                say(
                    f"  volume “{volume.path.name}”: pages {volume.first_page}–"
                    f"{volume.last_page}, {volume.size / MEGABYTE:.1f} MB"
                )
        elif result.size > E_FILING_LIMIT:
            say(
                f"  It is larger than {E_FILING_LIMIT // MEGABYTE} MB, the limit many e-filing "
                f"systems set; --split-mb {E_FILING_LIMIT // MEGABYTE} writes volumes under it."
            )
    if stale := leftovers(args.out, written):
        say(leftover_words(stale), err=True)
    if listed_exhibits is not None:
        say(f"Wrote the exhibit list to “{listed_exhibits}”.")
    if recordings:
        say(f"Copied {len(recordings)} recording(s) to “{recordings[0].parent}”.")
    elif args.export_recordings:
        say("There are no recordings in these exhibits to copy.")
    if served is not None and served.written:
        say(
            f"Copied {len(served.written)} recording(s) for the other side, named by exhibit "
            f"only and with only their sound, to “{served.written[0].parent}”."
        )
    for name, why in served.left_out if served is not None else []:
        say(f"  Not copied for the other side: {safe_line(name)} — {why}.", err=True)
    say(
        "These files are NOT encrypted: keep them somewhere the other person cannot reach, "
        "and delete copies you no longer need."
    )
    return 1 if unsplit else 0


def _write_parts(
    binder: Path, result: BinderResult, choices: BinderChoices, say: Say
) -> list[Path] | None:
    """Save each exhibit of the binder just written as a PDF of its own (and its front
    and back matter), each under the volume size; the files, or None, said why, if none
    could be."""
    rules = rules_for(choices.options.court)
    try:
        files = write_exhibit_files(
            binder, exhibit_spans(result), volume_bytes(choices.split_mb), rules.max_name_chars
        )
    except (PageTooLarge, NcoError) as refused:  # measured first: none was written
        say(f"  {refused} No exhibit files were written.", err=True)
        return None
    for file in files:
        say(
            f"  “{file.path.name}”: {file.what}, pages "
            f"{pages_words(file.first_page, file.last_page)}, {file.size / MEGABYTE:.1f} MB"
        )
    return [file.path for file in files]


def _write_review(
    args: argparse.Namespace,
    choices: BinderChoices,
    review_file: Path,
    say: Say,
    open_vault: OpenVault,
) -> int:
    """Build the copy for the other side in memory only, and list what it would hide."""
    with open_vault(args) as vault:
        released, _ = load_decisions(vault)
        options = copy_options(choices, released)[-1]
        findings = build_binder(vault, io.BytesIO(), options).findings
    write_review_file(review_file, findings)
    unread = sum(f.kind == UNREAD for f in findings)
    say(
        f"Listed {len(findings) - unread} place(s) where your private details were found"
        + (f" and {unread} page(s) the computer could not check" if unread else "")
        + f" in “{review_file}”. Nothing else was written."
    )
    say(
        'Each is hidden while its "hide" is true. Set "hide" to false where a place may '
        "stay as it is, then run the same command again to build both copies."
    )
    say(
        "That file lists your private details in the clear (only you can read it): "
        "delete it when you are done."
    )
    return 0


def _say_hidden(
    findings: list[Finding], released: frozenset[str], listed: frozenset[str] | None, say: Say
) -> None:
    """What the copy for the other side hid, what the user let stay, and what is new."""
    shown = sum(f.key in released for f in findings)
    say(
        f"The copy for the other side hides {len(findings) - shown} place(s) where your "
        f"private details were found" + (f"; {shown} stay as you chose." if shown else ".")
    )
    if listed is None:
        if findings:
            say(
                "  To check each place first: --review-redactions FILE (lists them, "
                "then builds from your choices)."
            )
        return
    new = [f for f in findings if f.key not in listed]
    if new:
        say(
            f"  {len(new)} place(s) are not in the review file (the evidence or the details "
            "changed); they were hidden. Run with a new file to review them.",
            err=True,
        )
        for finding in new[:10]:
            say(f"    {safe_line(finding.where)}: {safe_line(finding.context)}", err=True)
