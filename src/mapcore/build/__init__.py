"""The build: ICE's sheets read, placed, keyed across publications and linked to the FBI's roster, then stored.

:mod:`~mapcore.build.pipeline` makes the tables; :mod:`~mapcore.build.store` keeps them on disk.
"""
