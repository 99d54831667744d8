"""What leaves the library for a reader: maps, law layers and downloadable tables."""
