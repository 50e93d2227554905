"""Offline OCR of evidence pictures (screenshots): Tesseract plus picture preparation.

``tesseract.prepare`` loads the language data once (before a sandbox worker is confined),
``tesseract.read_words`` returns the words with their boxes, ``words.OcrWord`` is the
result type shared with storage, search and the binder.
"""
