"""The ``mapcore`` command line (:func:`mapcore.cli.main.main`; also ``python -m mapcore``)."""
