"""The window's 导出交换文件: the same safe name and the same file as ``gongkai dump``."""

import json

from gongkai_desktop.storage import exchange as X
from gongkai_desktop.storage.store import Store
from sample import full_report


def test_export_exchange_file_proposes_a_safe_name_and_keeps_a_declared_total(clerk, tmp_path, monkeypatch):
    doc = json.loads(X.dumps(full_report(2025, organ="../../etc/某某局/办公室")))
    doc["tables"]["requests"]["total"]["natural_person"] = 999  # disagrees with its parts
    report, _ = X.loads(json.dumps(doc))
    with Store.open(clerk.db, backups=False) as store:
        store.add(report)
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    win = clerk.start()
    win.ctx.settings.last_file_dir = str(chosen)
    win.start.refresh()
    win.start.table.selectRow(0)
    proposed = []

    def save_file_name(parent, title, path, filters):
        proposed.append(path)
        return path  # the clerk accepts the proposal

    from gongkai_desktop.ui import widgets as W
    monkeypatch.setattr(W, "save_file_name", save_file_name)
    win.start.export_selected()
    assert len(proposed) == 1, clerk.shown
    written = chosen / X.default_name(report.meta.organ, report.meta.year)
    assert proposed[0] == str(written) and written.is_file()
    assert [p.name for p in chosen.iterdir()] == [written.name] and not (tmp_path / "etc").exists()
    again = json.loads(written.read_text(encoding="utf-8"))
    assert again["tables"]["requests"]["total"]["natural_person"] == 999
