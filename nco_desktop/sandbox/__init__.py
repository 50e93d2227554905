"""Sandboxed worker processes: where every untrusted byte is parsed, decoded or rendered.

The program's adversary writes some of the files it reads. Parsers, picture decoders and
the PDF renderer therefore run in separate processes that hold no key, no vault and no
network, and that talk to the program only through one socket carrying plain data
(:mod:`.wire`). :mod:`.confine` is what a worker does to itself before it reads a byte,
:mod:`.worker` is its loop, :mod:`.pool` the program's side, :mod:`.render` the only
module outside the window allowed to load Qt (QtPdf renders pages in the worker).
"""
