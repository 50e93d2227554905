"""ICC colour spaces turned into device ones, for the copy for the other side.

An ICC profile's description and copyright are free text (a phone's model, a name), so
the copy for the other side carries none: an imported PDF's ``[/ICCBased stream]``
becomes the device space with the profile's number of components. Colours shift a
shade at most. Works on the described values (:mod:`.pdf_described`), never on a PDF.
"""

from __future__ import annotations

from typing import Any

_DEVICE = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}


def is_icc_space(raw: list[Any]) -> bool:
    return bool(raw) and raw[0] == {"n": "/ICCBased"}


def device_space(raw: list[Any], objects: list[Any]) -> str:
    """The device space for the ICC colour space *raw* (its profile among *objects*);
    RGB when the profile does not say how many components it has."""
    components = 3
    if len(raw) == 2 and isinstance(raw[1], dict) and set(raw[1]) == {"r"}:
        for pair in _stored_dictionary(raw[1]["r"], objects):
            if isinstance(pair, list) and len(pair) == 2 and pair[0] == {"n": "/N"}:
                components = pair[1] if pair[1] in _DEVICE else 3
    return _DEVICE[components]


def _stored_dictionary(number: object, objects: list[Any]) -> list[Any]:
    """The pairs of the (stream's) dictionary stored as object *number*; [] if none."""
    if not isinstance(number, int) or isinstance(number, bool):
        return []
    if not 0 <= number < len(objects):
        return []
    stored = objects[number]
    header = stored.get("t") if isinstance(stored, dict) and set(stored) == {"t", "p"} else stored
    if isinstance(header, dict) and set(header) == {"d"} and isinstance(header["d"], list):
        return header["d"]
    return []
