"""Documents made from a report: one document plan, its renderers (.docx, PDF) and fonts. No Qt."""
