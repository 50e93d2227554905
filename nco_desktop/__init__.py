"""NCO Desktop: an offline, encrypted evidence vault and exhibit-binder builder.

Everything below ``nco_desktop.ui`` is Qt-free, so the CLI, the tests and the GUI share
the same services.
"""

__version__ = "0.1.0"
