"""ICE's sheets: fetching them, choosing a source (site, archive, bundled snapshot), reading and dating each one.

Independent of our reference tables (:mod:`mapcore.reference`); the build (:mod:`mapcore.build`) joins both.
"""
