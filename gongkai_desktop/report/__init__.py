"""The report domain: formats (from forms/), the report model, cell values and rules. No I/O, no Qt."""
