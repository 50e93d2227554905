"""Loaded by every Python subprocess the tests start: any non-Unix socket is an error.

pytest-socket guards the test process itself; this guards the CLI runs we spawn.
"""

import socket

_real_socket = socket.socket


class _GuardedSocket(_real_socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if family not in (-1, socket.AF_UNIX) or (family == -1 and fileno is None):
            raise RuntimeError("NCO Desktop must never open a network socket")
        super().__init__(family, type, proto, fileno)


socket.socket = _GuardedSocket  # type: ignore[misc]
