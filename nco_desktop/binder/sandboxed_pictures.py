"""The binder's pictures, prepared in a sandboxed worker for one build.

A build holds the vault open; a picture chosen as an exhibit may be hostile. So the
binder never decodes one itself: :class:`BinderPictures` sends each picture's bytes to a
worker (:mod:`nco_desktop.binder.picture_prep` runs there) and gets back compressed
pixels it embeds as they are. A picture the worker cannot prepare — damaged, a bomb,
or one that hangs it past its deadline — raises :class:`PictureFailed`, and the page
says so in its place.
"""

from __future__ import annotations

from types import TracebackType

from nco_desktop.binder.picture_prep import PreparedPicture
from nco_desktop.binder.raw_pictures import RawPicture
from nco_desktop.evidence.picture_areas import Area
from nco_desktop.sandbox.pool import Limits
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed

#: Per picture: a 50 MP photo takes a few seconds on a busy machine; a hostile one is
#: stopped here rather than holding up the whole binder.
BINDER_PICTURE_LIMITS = Limits(wall_seconds=60, cpu_seconds=60)


class PictureFailed(Exception):
    """The picture could not be prepared; the message says why, in plain words."""


class BinderPictures:
    """One worker for one build; use as a context manager (the worker ends with it)."""

    def __init__(self) -> None:
        self._previews: PicturePreviews | None = None

    def __enter__(self) -> BinderPictures:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def prepare(self, data: bytes, *, strip_metadata: bool, areas: list[Area]) -> PreparedPicture:
        """The picture in *data*, ready to embed; raises PictureFailed."""
        if self._previews is None:  # started on the first picture: many binders have none
            self._previews = PicturePreviews(BINDER_PICTURE_LIMITS)
        boxes = [(a.left, a.top, a.right, a.bottom) for a in areas]
        try:
            answer = self._previews.binder_picture(data, strip_metadata=strip_metadata, areas=boxes)
        except PreviewFailed as failure:
            raise PictureFailed(str(failure)) from None
        pixels = RawPicture(
            answer["width"],
            answer["height"],
            answer["bits"],
            answer["colors"],
            answer["palette"] or None,
            answer["data"],
            jpeg=answer["jpeg"],
        )
        return PreparedPicture(pixels, answer["orientation"], answer["converted"])

    def close(self) -> None:
        if self._previews is not None:
            self._previews.close()
            self._previews = None
