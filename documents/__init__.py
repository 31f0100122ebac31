"""Statutory documents (文书, DESIGN §11): generated from the case, numbered, stored and served.

- ``kinds``: which event each kind notifies and the fields its template must hold;
- ``context``: the one place a document's inputs are read from the case (and the organ);
- ``wording``: the reply letter's text by outcome (Art. 36–39) and the other fixed sentences;
- ``defaults``, ``render``: the shipped templates and deterministic DOCX rendering (docxtpl);
- ``numbering``, ``service``: numbers, issuing, serving, verifying and templates (the side effects).
"""
