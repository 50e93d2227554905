"""The frozen program's first Python code: hand over to ``nco_desktop.__main__.main``.

PyInstaller needs a script, not a ``module:function``; this one adds nothing, so the
frozen program behaves exactly as ``python -m nco_desktop`` (the window with no
arguments, the CLI with a command, a sandbox worker with ``--nco-sandbox-worker FD``).
"""

import sys

from nco_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
