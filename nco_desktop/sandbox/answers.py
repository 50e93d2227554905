"""The one answer a worker gives to a thumbnail, picture or PDF task, checked field by
field before the program uses any of it (a worker may have been taken over by the file
it read, so nothing it says is taken on trust)."""

from __future__ import annotations

from typing import Any

from nco_desktop.sandbox import audio, wire

MAX_NAME = 200
MAX_PAGES = 100_000
MAX_PICTURE_BYTES = 128 * 1024 * 1024  # a thumbnail or preview the worker re-encoded
#: A PDF described as values (binder.pdf_described): JSON costs ~30x its size to read,
#: so this bounds the build's memory for it near 500 MB; real PDFs need far less.
MAX_GRAPH_BYTES = 16 * 1024 * 1024


def only_fields(
    header: dict[str, Any], payloads: list[bytes], keys: set[str], *, any_payloads: bool = False
) -> None:
    if set(header) - keys or (payloads and not any_payloads):
        raise wire.WireError("a frame has fields or payloads its kind does not have")


def short_name(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise wire.WireError("a format name is not a short text")
    return value


def final_answer(header: dict[str, Any], payloads: list[bytes]) -> tuple[Any, ...]:
    """The one answer of a thumbnail, picture or PDF task, checked."""
    kind = header.get("kind")
    if kind == "thumbnail":
        only_fields(header, [], {"kind"})
        if len(payloads) != 1 or not 0 < len(payloads[0]) <= MAX_PICTURE_BYTES:
            raise wire.WireError("a picture answer without exactly one picture")
        return (kind, payloads[0])
    if kind == "raster":
        only_fields(header, [], {"kind", "width", "height"})
        if len(payloads) != 1:
            raise wire.WireError("a raster answer without exactly one raster")
        return ("raster", wire.make_raster(header.get("width"), header.get("height"), payloads[0]))
    if kind == "binder_picture":
        return ("binder_picture", _binder_picture(header, payloads))
    if kind == "pdf_pages":
        only_fields(header, payloads, {"kind"}, any_payloads=True)
        if not payloads or not 0 < len(payloads[0]) <= MAX_GRAPH_BYTES:
            raise wire.WireError("a PDF description without its graph")
        return ("pdf_pages", payloads)
    if kind == "pages":
        only_fields(header, payloads, {"kind", "pages"})
        raw = header.get("pages")
        if not isinstance(raw, list) or not 0 < len(raw) <= MAX_PAGES:
            raise wire.WireError("page sizes are not a list")
        pages: list[tuple[float, float]] = []
        for pair in raw:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise wire.WireError("a page size is not a pair")
            if not all(wire.is_finite_number(v) and 0 < v <= 1e6 for v in pair):
                raise wire.WireError("a page size is out of range")
            pages.append((float(pair[0]), float(pair[1])))
        return ("pages", pages)
    if kind == "audio":
        return ("audio", _audio(header, payloads))
    if kind == "audio_format":
        only_fields(header, payloads, {"kind", "format"})
        if header.get("format") not in audio.UNPLAYABLE:
            raise wire.WireError("a recording's format is not one this program names")
        return ("audio_format", header["format"])
    if kind == "audio_clean":
        only_fields(header, payloads, {"kind", "extension"}, any_payloads=True)
        if header.get("extension") not in audio.CLEAN_EXTENSIONS or len(payloads) != 1:
            raise wire.WireError("a recording's copy without its kind")
        if not 0 < len(payloads[0]) <= MAX_PICTURE_BYTES * 4:
            raise wire.WireError("a recording's copy is out of range")
        return ("audio_clean", (header["extension"], payloads[0]))
    if kind == "ocr":
        from nco_desktop.ocr import answer

        return ("ocr", answer.check(header, payloads))
    if kind == "service_page":
        from nco_desktop.binder import service_pages

        return ("service_page", service_pages.check_answer(header, payloads))
    raise wire.WireError("a frame of an unknown kind")


_PICTURE_FIELDS = {"kind", "width", "height", "bits", "colors", "jpeg", "orientation", "converted"}


def _binder_picture(header: dict[str, Any], payloads: list[bytes]) -> dict[str, Any]:
    """A picture's compressed pixels for the binder, checked field by field: the binder
    embeds them as they are, without decoding, so nothing here is taken on trust."""
    only_fields(header, [], _PICTURE_FIELDS)
    if set(header) != _PICTURE_FIELDS or len(payloads) != 2:
        raise wire.WireError("a binder picture without all its fields")
    data, palette = payloads
    whole = all(
        isinstance(header[name], int) and not isinstance(header[name], bool)
        for name in ("width", "height", "bits", "colors", "orientation")
    )
    flags = isinstance(header["jpeg"], bool) and isinstance(header["converted"], bool)
    if not (whole and flags):
        raise wire.WireError("a binder picture's fields are of the wrong kind")
    if not (0 < header["width"] <= 65_535 and 0 < header["height"] <= 65_535):
        raise wire.WireError("a binder picture's size is out of range")
    if header["bits"] not in (1, 2, 4, 8, 16) or header["colors"] not in (1, 3):
        raise wire.WireError("a binder picture's pixel format is out of range")
    if header["orientation"] not in range(1, 9):
        raise wire.WireError("a binder picture's orientation is out of range")
    if not 0 < len(data) <= MAX_PICTURE_BYTES or len(palette) % 3 or len(palette) > 768:
        raise wire.WireError("a binder picture's bytes are out of range")
    if palette and (header["jpeg"] or header["colors"] != 1):
        raise wire.WireError("a palette on a picture that cannot have one")
    return {**{k: header[k] for k in _PICTURE_FIELDS - {"kind"}}, "data": data, "palette": palette}


_AUDIO_FIELDS = {"kind", "rate", "channels", "frames", "cut_short"}


def _audio(header: dict[str, Any], payloads: list[bytes]) -> audio.AudioPcm:
    """A recording's PCM, checked before the window plays it: the header must match the
    bytes exactly and stay inside the sizes the window ever asks for, so a worker that
    lies about its rate or length cannot make the player read past the samples or
    hold more than the longest recording played (:data:`audio.MAX_SECONDS`)."""
    only_fields(header, [], _AUDIO_FIELDS)
    if set(header) != _AUDIO_FIELDS or len(payloads) != 1:
        raise wire.WireError("a recording without all its fields")
    rate, channels, frames = header["rate"], header["channels"], header["frames"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (rate, channels, frames)):
        raise wire.WireError("a recording's fields are of the wrong kind")
    if not isinstance(header["cut_short"], bool):
        raise wire.WireError("a recording's fields are of the wrong kind")
    if rate != audio.RATE or channels != audio.CHANNELS:
        raise wire.WireError("a recording's sample rate or channels are not the ones asked")
    if not 0 < frames <= audio.MAX_FRAMES:
        raise wire.WireError("a recording's length is out of range")
    if len(payloads[0]) != frames * channels * audio.SAMPLE_BYTES:
        raise wire.WireError("a recording's bytes do not match its length")
    return audio.AudioPcm(rate, channels, frames, payloads[0], header["cut_short"])
