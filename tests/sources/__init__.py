"""Reading files: every format, hostile inputs, big CSVs read in chunks."""
