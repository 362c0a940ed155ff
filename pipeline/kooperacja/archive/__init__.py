"""The archive: the catalogue, content-addressed files, the lock, records, verify and repair."""
