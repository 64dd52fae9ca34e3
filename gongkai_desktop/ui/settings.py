"""The window's remembered preferences, declared in one place.

An INI file (UTF-8) in the user's configuration folder, or the file named by
``GONGKAI_SETTINGS`` (the tests point it at a temporary path). The reports themselves are never
here: they live in the store.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANIZATION = "gongkai"
APPLICATION = "gongkai-desktop"


class Settings:
    """Typed access to the preferences; each property reads and writes through QSettings."""

    def __init__(self, path: str | os.PathLike | None = None):
        path = path or os.environ.get("GONGKAI_SETTINGS")
        if path:
            self._q = QSettings(str(path), QSettings.IniFormat)
        else:
            self._q = QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)

    @property
    def path(self) -> str:
        return self._q.fileName()

    def sync(self) -> None:
        self._q.sync()

    # -- helpers --------------------------------------------------------------------------------
    def _get_str(self, key: str, default: str = "") -> str:
        v = self._q.value(key, default)
        return v if isinstance(v, str) else default

    def _get_bool(self, key: str, default: bool) -> bool:
        v = self._q.value(key, default)
        if isinstance(v, str):
            return v.lower() in ("1", "true", "yes")
        return bool(v)

    def _get_bytes(self, key: str) -> QByteArray | None:
        v = self._q.value(key)
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    # -- export ---------------------------------------------------------------------------------
    @property
    def last_export_dir(self) -> str:
        d = self._get_str("export/folder")
        if d and Path(d).is_dir():
            return d
        docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        return docs if docs and Path(docs).is_dir() else str(Path.home())

    @last_export_dir.setter
    def last_export_dir(self, value: str) -> None:
        self._q.setValue("export/folder", str(value))

    def export_wanted(self, kind: str) -> bool:
        """Whether the export page offers output ``kind`` (a renderer of documents/export.py)
        ticked: the clerk's last choice, else the registry's default."""
        from ..documents.export import renderer

        # "export/docx" and "export/pdf" are the keys earlier versions wrote: the same meaning.
        return self._get_bool(f"export/{kind}", renderer(kind).default_on)

    def set_export_wanted(self, kind: str, value: bool) -> None:
        self._q.setValue(f"export/{kind}", bool(value))

    @property
    def last_file_dir(self) -> str:
        """Folder of the last exchange file imported or exported."""
        d = self._get_str("exchange/folder")
        return d if d and Path(d).is_dir() else self.last_export_dir

    @last_file_dir.setter
    def last_file_dir(self, value: str) -> None:
        self._q.setValue("exchange/folder", str(value))

    @property
    def font_overrides(self) -> dict[str, str]:
        """Role → font family the clerk chose (empty = automatic)."""
        raw = self._get_str("export/fonts", "{}")
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items() if v} if isinstance(data, dict) else {}

    @font_overrides.setter
    def font_overrides(self, value: dict[str, str]) -> None:
        self._q.setValue("export/fonts", json.dumps({k: v for k, v in value.items() if v}, ensure_ascii=False))

    # -- window ---------------------------------------------------------------------------------
    @property
    def last_report(self) -> int | None:
        v = self._q.value("window/last_report")
        try:
            return int(v) if v not in (None, "") else None
        except (TypeError, ValueError):
            return None

    @last_report.setter
    def last_report(self, value: int | None) -> None:
        self._q.setValue("window/last_report", "" if value is None else int(value))

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._get_bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def splitter_state(self) -> QByteArray | None:
        return self._get_bytes("window/splitter")

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self._q.setValue("window/splitter", value)

    @property
    def collection_office(self) -> str:
        """The supervising office's name, signed under its 审核意见."""
        return self._get_str("collection/office")

    @collection_office.setter
    def collection_office(self, value: str) -> None:
        self._q.setValue("collection/office", str(value))

    @property
    def example_offered(self) -> bool:
        return self._get_bool("start/example_offered", False)

    @example_offered.setter
    def example_offered(self, value: bool) -> None:
        self._q.setValue("start/example_offered", bool(value))
