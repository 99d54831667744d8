"""The lowest layer: the agreement schema, settings, atomic writes and text helpers. Imports no other layer."""
