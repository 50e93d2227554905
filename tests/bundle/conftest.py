"""The frozen-bundle smoke test's marker, and where the bundle is.

The tests here run the program PyInstaller built (``make bundle``), never the source:
set ``NCO_BUNDLE`` to the one-folder bundle (``build/bundle/dist/nco-desktop``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "bundle: runs the frozen one-folder bundle named by $NCO_BUNDLE"
    )


@pytest.fixture(scope="session")
def bundle_exe() -> Path:
    """The frozen program, or a skip that says how to get one."""
    folder = os.environ.get("NCO_BUNDLE", "")
    if not folder:
        pytest.skip("NCO_BUNDLE is not set: build the bundle (make bundle) and point it there")
    exe = Path(folder) / "nco-desktop"
    if not exe.is_file() or not os.access(exe, os.X_OK):
        pytest.fail(f"NCO_BUNDLE={folder} holds no executable nco-desktop")
    return exe
