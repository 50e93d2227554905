"""Where the files shipped beside the code live (fonts, later icons and the demo case).

``resources/`` sits next to the package in a checkout and an editable install; a frozen
build (PyInstaller) copies it beside the executable and sets ``NCO_RESOURCES``.
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("NCO_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / "resources"


def font_path(name: str) -> Path:
    return resources_dir() / "fonts" / name
