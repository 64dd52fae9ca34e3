"""The core: report model, formats, rules, store, exchange files, exporters. No Qt in here."""
