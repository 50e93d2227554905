"""Offline OCR: the text in screenshots and scanned pages, read in the sandbox."""
