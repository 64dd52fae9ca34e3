"""Where reports are kept: the SQLite store, exchange files and atomic file writes. No Qt."""
