"""Our own reference tables, read and checked: state laws, population, the FBI's roster, the county gazetteer.

They are hand-researched or downloaded once and kept in ``data/``; every load is validated, and an error
names the file, row and column. Independent of ICE's sheets (:mod:`mapcore.sheets`).
"""
