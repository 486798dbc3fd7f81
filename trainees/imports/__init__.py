"""Roster import: read a spreadsheet, recognise its columns, validate every row, match the rows
to the registry, show a preview, then write everything in one transaction (or nothing).

Modules: :mod:`.parsing` (bytes -> table), :mod:`.columns` (headers -> fields),
:mod:`.validation` (cells -> clean values or problems), :mod:`.problems` (translatable
messages), :mod:`.services` (preview and confirm), :mod:`.tasks` (the background preview).
"""
