"""``python -m nco_desktop`` and the ``nco-desktop`` launcher."""

import sys

from nco_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
