"""Runtime hook: the frozen program finds its own resources and OCR language data.

Runs before any of the program's code, in the window, the CLI and every sandbox worker
(a worker's environment is emptied by the pool, so it sets them again there, which is
what a worker needs). A value the user set is kept; an empty one counts as unset.
Only paths inside the bundle are set: nothing here reads or writes a file.
"""

import os
import sys


def _set_bundled_paths() -> None:
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return
    for name, folder in (("NCO_RESOURCES", "resources"), ("NCO_TESSDATA", "tessdata")):
        if not os.environ.get(name):
            os.environ[name] = os.path.join(base, folder)


_set_bundled_paths()
