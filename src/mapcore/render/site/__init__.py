"""The static edition (``mapcore site``): permanent pages per state and per agency, Atom feeds and maps
any site can host, from the same dataset and the same words as the app. Start at :mod:`.edition`."""
