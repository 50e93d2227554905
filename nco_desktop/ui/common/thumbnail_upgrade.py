"""Thumbnails an older version stored as JPEG are made again as plain pixels, quietly,
after a vault opens (see :mod:`nco_desktop.evidence.thumbnail_pixels`: the window no
longer decodes JPEG). Until then those entries show their icon."""

from __future__ import annotations

from nco_desktop.importers.thumbnails import old_thumbnails, remake_old_thumbnails
from nco_desktop.ui.common.jobs import run_job
from nco_desktop.ui.common.session import Change, VaultSession


def follow(session: VaultSession) -> None:
    """Remake old thumbnails in the background each time *session* opens a vault."""

    def opened() -> None:
        vault = session.vault
        if vault is None or not old_thumbnails(vault):
            return
        run_job(
            session,
            lambda vault, progress, cancel: remake_old_thumbnails(vault, progress, cancel),
            on_success=lambda made: session.notify(Change.ENTRIES) if made else None,
            on_failure=lambda _error: None,  # left as icons; the next opening tries again
        )

    session.opened.connect(opened)
