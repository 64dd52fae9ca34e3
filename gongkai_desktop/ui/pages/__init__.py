"""The pages of the report editor."""
