"""The report editor: a navigator of the parts of the report, the page of the current part, and
the guidance for it beside the page. Next/previous walk through the parts like a wizard; any
part can be opened directly."""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QListWidget, QListWidgetItem, QSplitter, QStackedWidget, QStyle,
    QStyledItemDelegate, QTextBrowser, QWidget,
)

from . import cmds
from . import colors as C
from . import texts as T
from . import widgets as W
from .open_report import LOCK_FINAL, NAV_CHECK, NAV_EXPORT, NAV_META, NAV_PRINT, OpenReport
from .qtutils import plain

STATE_ROLE = Qt.UserRole + 1
ID_ROLE = Qt.UserRole


class _NavDelegate(QStyledItemDelegate):
    """A navigator row: the part's name on the left, its state as a coloured word on the right."""

    def sizeHint(self, option, index):  # noqa: N802
        s = super().sizeHint(option, index)
        return QSize(s.width() + 80, max(s.height(), QFontMetrics(option.font).height() + 18))

    def paint(self, painter, option, index):
        state = index.data(STATE_ROLE)
        opt = option
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect.adjusted(10, 0, -8, 0)
        painter.save()
        selected = bool(option.state & QStyle.State_Selected)
        badge_w = 0
        if state:
            word = T.NAV_STATES.get(state, "")
            f = QFont(option.font)
            f.setPointSizeF(f.pointSizeF() * 0.85)
            fm = QFontMetrics(f)
            badge_w = fm.horizontalAdvance(word) + 12
            badge = QRect(rect.right() - badge_w, rect.center().y() - fm.height() // 2 - 2, badge_w, fm.height() + 4)
            painter.setRenderHint(painter.RenderHint.Antialiasing)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(W.BACKGROUNDS[state]))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QPen(QColor(W.COLORS[state])))
            painter.setFont(f)
            painter.drawText(badge, Qt.AlignCenter, word)
        painter.setFont(option.font)
        painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        text_rect = rect.adjusted(0, 0, -(badge_w + 6), 0)
        painter.drawText(text_rect, Qt.AlignVCenter | Qt.AlignLeft,
                         QFontMetrics(option.font).elidedText(text, Qt.ElideRight, text_rect.width()))
        painter.restore()


class Navigator(QListWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("navigator")
        self.setItemDelegate(_NavDelegate(self))
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setMinimumWidth(220)
        self.setFrameShape(QFrame.NoFrame)
        self.setStyleSheet("QListWidget#navigator { background: palette(window); }")

    def set_entries(self, entries: list[tuple[str, str, str]]) -> None:
        self.clear()
        for nav_id, text, tooltip in entries:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, nav_id)
            item.setToolTip(tooltip)
            self.addItem(item)

    def row_of(self, nav_id: str) -> int:
        for i in range(self.count()):
            if self.item(i).data(ID_ROLE) == nav_id:
                return i
        return -1

    def set_state(self, nav_id: str, state: str | None, tooltip: str = "") -> None:
        i = self.row_of(nav_id)
        if i >= 0:
            item = self.item(i)
            item.setData(STATE_ROLE, state)
            if tooltip:
                item.setToolTip(tooltip)


class Editor(QWidget):
    """Edits ``ctx.document``. Pages are built the first time they are shown, then kept."""

    message = Signal(str)
    back_requested = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.doc: OpenReport | None = None
        self.pages: dict[str, QWidget] = {}
        self.current: str | None = None
        self.switch_seconds = 0.0

        self.title = plain(W.label("", bold=True, size=1.2, wrap=True, name="reportTitle"))  # holds the organ name
        self.status_badge = W.label("", name="statusBadge")
        self.back_btn = W.button(T.BACK_TO_LIST, self.back_requested.emit, name="backButton",
                                 tooltip=T.BACK_TO_LIST_TIP)
        self.final_banner = W.Banner("final", "", closable=False)
        self.final_banner.setObjectName("finalBanner")
        self.reopen_btn = self.final_banner.add_button(T.ACT_REOPEN, self.reopen)
        self.guide_btn = W.button(T.GUIDE_TOGGLE, self.toggle_guide, name="guideButton", tooltip=T.GUIDE_TOGGLE_TIP)
        self.guide_btn.setCheckable(True)
        self.guide_btn.setChecked(True)
        self._guide_auto_hidden = False
        self.lock_banner = W.Banner("warning", "", closable=False)  # read-only: why (not 定稿: its own banner)
        self.lock_banner.setObjectName("lockBanner")
        self.example_banner = W.Banner("example", T.EXAMPLE_BANNER, closable=True)
        self.example_banner.setObjectName("exampleReportBanner")

        self._position_timer = W.debounce(self, 1000, self.save_position)
        self.nav = Navigator()
        self.nav.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")
        self.guide = QTextBrowser()
        self.guide.setObjectName("guidance")
        self.guide.setOpenExternalLinks(False)
        self.guide.setMinimumWidth(220)
        self.guide.setFrameShape(QFrame.NoFrame)
        self.guide.setStyleSheet(f"QTextBrowser#guidance {{ background: {C.GUIDE_BG}; padding: 6px; }}")

        self.prev_btn = W.button(T.PREV, self.go_prev, name="prevButton", tooltip=T.PREV_TIP)
        self.next_btn = W.button(T.NEXT, self.go_next, name="nextButton", tooltip=T.NEXT_TIP)
        self.step_label = W.label("", style=C.style(C.HINT))

        center = QWidget()
        self._center = center
        center.setLayout(W.vbox((self.stack, 1), W.hbox(self.prev_btn, "stretch", self.step_label, "stretch",
                                                        self.next_btn), margin=0))
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.guide)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([240, 800, 300])

        self.setLayout(W.vbox(
            W.hbox(self.back_btn, 12, (self.title, 1), self.status_badge, self.guide_btn),
            self.final_banner, self.lock_banner, self.example_banner, (self.splitter, 1), margin=10, spacing=8))
        ctx.report_opened.connect(self.set_document)
        ctx.about_to_close.connect(self.leave)
        cmds.display.failed.connect(self._failed)

    # -- document -----------------------------------------------------------------------------------
    def entries(self) -> list[tuple[str, str, str]]:
        fmt = self.doc.format
        out = [(NAV_META, T.NAV_META, T.NAV_META)]
        for s in fmt.sections:
            out.append((s.id, s.nav, s.heading))  # the short name from forms/
        out += [(NAV_CHECK, T.NAV_CHECK, T.NAV_CHECK), (NAV_EXPORT, T.NAV_EXPORT, T.NAV_EXPORT_TIP),
                (NAV_PRINT, T.NAV_PRINT, T.NAV_PRINT_TIP)]
        return out

    def nav_ids(self) -> list[str]:
        return [e[0] for e in self.entries()]

    def set_document(self, doc: OpenReport) -> None:
        t0 = time.perf_counter()
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.current = None
        self.doc = doc
        doc.checked.connect(self._update_states)
        doc.changed.connect(self._changed)
        doc.focus_requested.connect(self.go)
        self.nav.blockSignals(True)
        self.nav.set_entries(self.entries())
        self.nav.blockSignals(False)
        self._update_header()
        self._update_states()
        pos = doc.position()
        target = pos.get("page") if pos.get("page") in self.nav_ids() else NAV_META
        self.go(target, pos)
        self.open_seconds = time.perf_counter() - t0
        # Importing the table editor costs ~50 ms; do it while the clerk reads the first page,
        # so the first switch to a table does not pay for it.
        QTimer.singleShot(150, _preload_table_pages)

    def _changed(self, what: str) -> None:
        if what in ("status", "lock") or what.startswith("meta:organ"):
            self._update_header()
        if what in ("status", "lock"):
            ro = self.doc.read_only
            for page in self.pages.values():
                page.doc = self.doc
                page.set_read_only(ro)
                page.activate()

    def _failed(self, _exc) -> None:
        """A refused change (shown by the main window): show the stored value again."""
        if self.doc is None:
            return
        page = self.pages.get(self.current or "")
        if page is not None:
            page.activate()  # show the stored value again

    def _update_header(self) -> None:
        r = self.doc.report
        self.title.setText(r.title)
        if r.status == "final":
            self.status_badge.setText(T.STATUS["final"])
            self.status_badge.setStyleSheet(W.badge_style("final"))
            when = self.doc.finalized_when()
            self.final_banner.set_text(T.FINAL_BANNER.format(time=when) if when else T.FINAL_BANNER_NO_TIME)
            self.final_banner.show()
        else:
            self.status_badge.setText(T.STATUS["draft"])
            self.status_badge.setStyleSheet(f"color: {C.QUIET}; background: {C.BADGE_BG}; border-radius: 3px; padding: 1px 6px;")
            self.final_banner.hide()
        lock = self.doc.lock
        self.lock_banner.set_text(self.doc.lock_text() if lock not in (None, LOCK_FINAL) else "")
        self.lock_banner.setVisible(lock not in (None, LOCK_FINAL))
        self.example_banner.setVisible(bool(r.example))

    def _update_states(self) -> None:
        doc = self.doc
        if doc is None:
            return
        for sid, st in doc.states.items():
            tip = T.NAV_STATE_TIP.format(state=T.NAV_STATES[st.state], errors=st.errors, warnings=st.warnings)
            self.nav.set_state(sid, st.state, "")
            i = self.nav.row_of(sid)
            if i >= 0:
                heading = self.entries()[i][2]
                self.nav.item(i).setToolTip(f"{heading}\n{tip}")
        errors = doc.errors()
        open_warnings = sum(1 for f in doc.findings if f.severity == "warning" and not f.explanation)
        check_state = "error" if errors else "warning" if open_warnings else "done"
        self.nav.set_state(NAV_CHECK, check_state)
        self.nav.set_state(NAV_EXPORT, "done" if doc.is_final else None)
        self.nav.viewport().update()

    # -- navigation ---------------------------------------------------------------------------------
    def page(self, nav_id: str):
        page = self.pages.get(nav_id)
        if page is None:
            page = self._make_page(nav_id)
            page.message.connect(self.message)
            page.jump.connect(self.go)
            if hasattr(page, "cramped"):  # a table page whose table stopped fitting (C2)
                page.cramped.connect(self._fit_page)
            page.set_read_only(self.doc.read_only)
            self.pages[nav_id] = page
            self.stack.addWidget(page)
        return page

    def _make_page(self, nav_id: str):
        doc, ctx = self.doc, self.ctx
        if nav_id == NAV_META:
            from .pages.meta import MetaPage
            return MetaPage(ctx, doc)
        if nav_id == NAV_CHECK:
            from .pages.check import CheckPage
            return CheckPage(ctx, doc)
        if nav_id == NAV_EXPORT:
            from .pages.export import ExportPage
            page = ExportPage(ctx, doc)
            page.reopen_requested.connect(self.reopen)
            page.finalize_requested.connect(self.finalize)
            return page
        if nav_id == NAV_PRINT:
            from .pages.preview import PreviewPage
            return PreviewPage(ctx, doc)
        section = doc.format.section(nav_id)
        if section.table:
            from .pages.table_section import TableSectionPage
            return TableSectionPage(ctx, doc, section)
        from .pages.text_section import TextSectionPage
        return TextSectionPage(ctx, doc, section)

    def go(self, nav_id: str, target=None) -> None:
        """Show the page ``nav_id`` (and, when given, the cell or field ``target`` on it)."""
        t0 = time.perf_counter()
        if self.doc is None or nav_id not in self.nav_ids():
            return
        if self.current and self.current != nav_id:
            old = self.pages.get(self.current)
            if old is not None:
                old.flush()
        page = self.page(nav_id)
        self.current = nav_id
        self.stack.setCurrentWidget(page)
        page.activate()
        row = self.nav.row_of(nav_id)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self.guide.setHtml(_guidance_html(page.guidance()))
        ids = self.nav_ids()
        i = ids.index(nav_id)
        self.prev_btn.setEnabled(i > 0)
        self.next_btn.setEnabled(i < len(ids) - 1)
        self.prev_btn.setText(T.PREV_TO.format(name=self.entries()[i - 1][1]) if i > 0 else T.PREV)
        self.next_btn.setText(T.NEXT_TO.format(name=self.entries()[i + 1][1]) if i < len(ids) - 1 else T.NEXT)
        self.step_label.setText(T.STEP.format(i=i + 1, n=len(ids)))
        page.focus(target)
        self._position_timer.start()
        if self._guide_auto_hidden:
            self._guide_auto_hidden = False
            self.guide_btn.setChecked(True)
            self.guide.show()
        QTimer.singleShot(0, self._fit_page)
        self.switch_seconds = time.perf_counter() - t0

    def toggle_guide(self) -> None:
        self._guide_auto_hidden = False
        self.guide.setVisible(self.guide_btn.isChecked())

    LOW_HEIGHT = 560  # logical pixels: 1366×768 at 150 % leaves about 470 to the editor

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # On a low window the margins and gaps go to the page (表三 keeps its rows).
        low = self.height() < self.LOW_HEIGHT
        gap = 4 if low else W.SPACING
        self.layout().setContentsMargins(*(4 if low else 10,) * 4)
        self.layout().setSpacing(gap)
        self._center.layout().setSpacing(gap)

    def _fit_page(self) -> None:
        """A table wider than the page (表四 has 15 columns, 表三 at 150 %) gets the room of the
        guidance panel whenever it does not fit; the panel comes back on the next page."""
        page = self.current_page()
        overflow = getattr(page, "overflow", None)
        if overflow is None or not self.guide.isVisible():
            return
        if overflow() > 0:
            self.guide.hide()
            self.guide_btn.setChecked(False)
            self._guide_auto_hidden = True

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.go(self.nav.item(row).data(ID_ROLE))

    def go_next(self) -> None:
        ids = self.nav_ids()
        if self.current in ids and ids.index(self.current) < len(ids) - 1:
            self.go(ids[ids.index(self.current) + 1])

    def go_prev(self) -> None:
        ids = self.nav_ids()
        if self.current in ids and ids.index(self.current) > 0:
            self.go(ids[ids.index(self.current) - 1])

    def current_page(self):
        return self.pages.get(self.current or "")

    def save_position(self) -> None:
        if self.doc is None or self.current is None:
            return
        pos = {"page": self.current}
        page = self.pages.get(self.current)
        if page is not None:
            pos.update(page.position())
        self.doc.save_position(pos)

    def leave(self) -> None:
        """Before the report is closed: save pending text and where the clerk was."""
        if self.doc is None:
            return
        for page in self.pages.values():
            page.flush()
        self._position_timer.stop()
        self.save_position()

    # -- status -------------------------------------------------------------------------------------
    def finalize(self) -> None:
        doc = self.doc
        for page in self.pages.values():
            page.flush()
        detail = ""
        if doc.errors():
            if not W.confirm(self, T.ACT_FINALIZE, T.FINALIZE_WITH_ERRORS.format(n=doc.errors()),
                             T.FINALIZE_ANYWAY, danger=True):
                return
        elif not W.confirm(self, T.ACT_FINALIZE, T.FINALIZE_CONFIRM, T.ACT_FINALIZE, detail=detail):
            return
        if cmds.ok(doc.finalize):
            self.message.emit(T.FINALIZED)

    def reopen(self) -> None:
        from . import dialogs

        reason = dialogs.ask_reopen_reason(self)
        if reason and cmds.ok(lambda: self.doc.reopen(reason)):
            self.message.emit(T.REOPENED)



def _preload_table_pages() -> None:
    from .pages import table_section  # noqa: F401


def _guidance_html(text: str) -> str:
    if not text:
        return ""
    if text.lstrip().startswith("<"):
        return text
    from html import escape

    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"<h3>{T.GUIDE_TITLE}</h3>{paras}"
