"""Window tests: our QApplication subclass, canned prompts, a window per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nco_desktop.ui import prompts
from nco_desktop.ui.app import NcoApplication


@pytest.fixture(scope="session")
def qapp_cls() -> type[NcoApplication]:
    return NcoApplication


@pytest.fixture(autouse=True)
def canned_prompts() -> Iterator[None]:
    """Every test starts with no queued answers, and none may be left unused; a message
    or question nobody queued an answer for fails the test instead of waiting forever."""
    prompts.reset()
    prompts.strict = True
    yield
    prompts.strict = False
    left = list(prompts._canned)
    prompts.reset()
    assert not left, f"canned answers never asked for: {left}"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Qt settles where settings live once per process, so each test empties them."""
    from nco_desktop.ui.app_settings import AppSettings

    AppSettings()._settings.clear()
    yield
    AppSettings()._settings.clear()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return tmp_path / "demo" / "demo.ncovault"
