"""``python -m nco_desktop`` and the ``nco-desktop`` launcher.

A packaged (frozen) program has no ``python -m``: it starts its sandbox workers as
itself with ``--nco-sandbox-worker FD``, handled here before anything else is loaded,
so a worker never imports the window or the vault code.
"""

import sys


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--nco-sandbox-worker":
        from nco_desktop.sandbox.worker import main as worker_main

        return worker_main(sys.argv[2:])
    from nco_desktop.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
