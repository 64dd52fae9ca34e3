"""The report's meta fields (机关名称, 机关类型, 报告年度 …), declared once.

The model, the exchange codec, the store, the CLI, the window and the format files' rules all
take the names, kinds and labels from here. It imports nothing of the report so that
``formats`` (which checks the rules' field names) can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import texts as T


@dataclass(frozen=True)
class MetaField:
    """One field of :class:`~gongkai_desktop.report.model.Meta`, declared once for the model, store, exchange file, CLI and window.

    ``kind`` says how a value is read and written: "text", "organ_type" (an id from the format's
    ``organ_types``), "year" (int), "date" (:class:`datetime.date`, ISO in files) or "units"
    ({"table/row/col": unit}). ``editable``: can change after the report is created (the year
    cannot: it chose the format). ``key`` is the field's name in an exchange file's ``meta``."""

    name: str
    kind: str
    required: bool = False
    editable: bool = True

    @property
    def label(self) -> str:
        return T.META_FIELD[self.name]

    @property
    def key(self) -> str:
        return self.name


META_FIELDS: tuple[MetaField, ...] = (
    MetaField("organ", "text", required=True),
    MetaField("organ_type", "organ_type", required=True),
    MetaField("year", "year", required=True, editable=False),
    MetaField("issue_date", "date"),
    MetaField("signoff", "text"),
    MetaField("opening", "text"),
    MetaField("units", "units"),
)
META_EDITABLE = tuple(f.name for f in META_FIELDS if f.editable)
META_BY_NAME: dict[str, MetaField] = {f.name: f for f in META_FIELDS}


def meta_label(name: str) -> str:
    """The Chinese label of a meta field (「机关名称」); a name that is no meta field is returned as it is
    (a revision's field from a later program)."""
    field = META_BY_NAME.get(name)
    return field.label if field else name
