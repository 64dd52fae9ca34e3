"""Every Chinese string of the window, in one place, so the wording can be read and kept
consistent. (The core's and the command line's strings are in ``gongkai_desktop/texts.py``.)

Conventions: buttons say what they do (「导出」, not 「确定」); a question names its answers;
an error says what happened and what to do; nothing is said in English.
"""

from .. import texts as _core
from ..documents import fonts as _fonts

APP_TITLE = "政府信息公开工作年度报告"
ERROR_TITLE = "出错了"
CANCEL = "取消"
OK = "确定"
QUIT = "退出"
CLOSE = "关闭"
BLANK = "空"
SEVERITY = _core.SEVERITY
STATUS = _core.STATUS
ORGAN_REQUIRED = _core.ORGAN_REQUIRED
REPORT_IS_FINAL = _core.REPORT_FINAL
INTERNAL_ERROR = _core.CLI_INTERNAL
WRITE_FAILED = "无法写入「{path}」：{detail}"

# -- menus and actions --------------------------------------------------------------------------
MENU_FILE = "文件(&F)"
MENU_EDIT = "编辑(&E)"
MENU_REPORT = "年报(&R)"
MENU_HELP = "帮助(&H)"
ACT_NEW = "新建年报"
ACT_CARRY = "从上年结转新建"
ACT_IMPORT = "导入交换文件"
ACT_IMPORT_DOTS = "导入交换文件…"
ACT_OPEN = "打开"
ACT_COPY = "复制"
ACT_DELETE = "删除"
ACT_EXPORT_FILE = "导出交换文件"
ACT_EXPORT_FILE_DOTS = "导出交换文件…"
ACT_EXPORT_DOCS = "导出 Word / PDF…"
ACT_PRINT = "打印…"
ACT_QUIT = "退出"
ACT_UNDO = "撤销"
ACT_REDO = "重做"
ACT_TRASH = "回收站"
ACT_TRASH_BACK = "返回年报列表"
ACT_RESTORE = "恢复"
ACT_PURGE = "彻底删除"
ACT_FINALIZE = "定稿"
ACT_FINALIZE_DOTS = "定稿…"
ACT_REOPEN = "取消定稿…"
ACT_HISTORY = "修改记录"
ACT_ABOUT = "关于"
UNDO_WHAT = "撤销：{what}"
REDO_WHAT = "重做：{what}"
UNDONE = "已撤销：{what}"
REDONE = "已重做：{what}"
NOTHING_TO_UNDO = "没有可以撤销的修改。"
NOTHING_TO_REDO = "没有可以重做的修改。"
UNDO_CELL = "填写{name}"
UNDO_CELLS = "填写 {n} 个单元格"
UNDO_META = "修改{field}"
UNDO_UNIT = "修改单位"
ABOUT = ("政府信息公开工作年度报告 编写软件 {version}\n\n"
         "离线编写、检查、导出《政府信息公开工作年度报告》。\n数据库：{db}")

TIP_NEW = "新建一份年报（Ctrl+N）"
TIP_CARRY = "以选中的年报为上一年度，新建下一年度的年报：自动带入「上年结转」的数字和各部分文字"
TIP_IMPORT = "导入其他单位或其他电脑发来的年报交换文件（.json）"
TIP_COPY = "复制选中的年报（新的一份为草稿）"
TIP_DELETE = "把选中的年报移到回收站（可以恢复）"
TIP_EXPORT_FILE = "把选中的年报保存为交换文件，发给上级单位或在其他电脑上导入"

# -- start page ---------------------------------------------------------------------------------
LIST_COLUMNS = ["机关", "年度", "格式", "状态", "完成度", "错误/警告", "最后修改"]
LIST_SUBTITLE = "共 {n} 份年报。每一处修改在输入时即自动保存。数据库：{path}"
EMPTY_STORE = "还没有年报。\n点击上方「新建年报」开始编写，或「导入交换文件」。"
YEAR_TEXT = "{year} 年度"
YEAR_SUFFIX = " 年度"
FORMAT_SHORT = "{year} 年版{trial}"
FORMAT_TRIAL = "（试行）"
FORMAT_LONG = "{name}（{notice}）"
EXAMPLE_STATUS = "示例（{status}）"
EXAMPLE_TOOLTIP = "这是示例年报，供了解填写方法，可以随时删除。"
NO_PROBLEMS = "无"
PROBLEMS = "错误 {errors} · 警告 {warnings}"
PROBLEMS_TOOLTIP = "检查发现的错误和尚未说明的警告"
DELETED_AT = "已删除（{time}）"
TIME_TODAY = "今天 {time}"
TIME_YESTERDAY = "昨天 {time}"
UNCLEAN_SHUTDOWN = ("上次程序没有正常退出（可能是断电或程序意外关闭）。请放心：每一处修改都在输入时已经保存，"
                    "您的年报完好无损。")
EXAMPLE_OFFER = ("第一次使用？可以先打开一份示例年报看看各部分怎么填写。"
                 "示例年报在列表中标为「示例」，看完可以删除。")
EXAMPLE_OPEN = "打开示例年报"
EXAMPLE_BANNER = "这是示例年报（「示例」），内容是虚构的，供了解填写方法。可以随意修改，看完可以在年报列表中删除。"
TRASH_TITLE = "回收站"
TRASH_SUBTITLE = "回收站中有 {n} 份年报。可以恢复，也可以彻底删除。"
TRASH_EMPTY = "回收站是空的。"
TRASH_OPEN_FIRST = "回收站中的年报需要先「恢复」才能打开。"

NEW_TITLE = "新建年报"
NEW_HINT = "年报在每年年初编写，报告上一年度的情况。适用的年报格式由年度决定。"
NEW_ORGAN_PLACEHOLDER = "如：某某市生态环境局"
NEW_CREATE = "新建"
NEW_EXISTS = "{organ}的 {year} 年度年报已经存在。"
NEW_EXISTS_OPEN = "打开已有的年报"
NEW_EXISTS_CREATE = "另外新建一份"
FIELD_LABEL = "{label}："  # a form row of a meta field: its label from report.fields.META_FIELDS
FIELD_FORMAT = "适用格式："
FIELD_TITLE = "报告标题："
CARRY_CONFIRM = ("以「{organ}」的 {year} 年度年报为基础，新建 {to} 年度年报：\n\n"
                 "{carried}"
                 "· 开头段落和各部分文字复制过来供修改（请务必按本年度实际情况改写，内容雷同是被问责的情形之一）；\n"
                 "· 其他表格数字留空，需要重新填写。{changes}")
CARRY_CELLS = "· 表{number}「{to}」取自上年的「{source}」；\n"  # from the format's carry_over
CARRY_FORMAT = "\n\n{to} 年度适用的年报格式与上年不同（{new}，上年为 {old}），请按新格式填写：\n{changes}"
CARRY_COLUMNS = "· 表{number}的栏目改为{new}（上年为{old}）"
CARRY_ROWS_ADDED = "· 表{number}新增{rows}"
CARRY_ROWS_GONE = "· 表{number}不再有{rows}"
CARRY_LABEL = "「{label}」"
CARRY_LABEL_SEP = "、"
CARRY_YES = "结转新建"
CARRIED = "已新建 {organ} {year} 年度年报。"
OPEN_EXISTING = "打开已有的年报"
IMPORT_TITLE = "导入交换文件"
EXCHANGE_FILTER = "年报交换文件 (*.json);;所有文件 (*)"
PDF_FILTER = "PDF 文件 (*.pdf)"
IMPORT_EXISTS = "{organ}的 {year} 年度年报已经存在。仍然导入为另外一份吗？"
IMPORT_ANYWAY = "仍然导入"
IMPORTED = "已导入 {organ} {year} 年度年报。"
COPIED = "已复制，新的一份是草稿。"
DELETE_CONFIRM = "把「{organ}」的 {year} 年度年报移到回收站？\n以后可以在「回收站」中恢复。"
DELETE_YES = "移到回收站"
DELETED = "已把 {organ} {year} 年度年报移到回收站。"
RESTORED = "已恢复 {organ} {year} 年度年报。"
PURGE_CONFIRM = "彻底删除「{organ}」的 {year} 年度年报？\n彻底删除后不能恢复。"
PURGE_YES = "彻底删除"
EXPORT_FILE_TITLE = "导出交换文件"
EXPORTED_FILE = "已导出交换文件：{path}"

# -- store at start -----------------------------------------------------------------------------
STORE_DAMAGED_TITLE = "数据库文件已损坏"
STORE_DAMAGED_NO_BACKUP = "没有找到可用的自动备份。请联系维护人员，不要删除这个文件。"
STORE_RESTORE = "从备份恢复"
STORE_RESTORED_TITLE = "已从备份恢复"
STORE_RESTORED = "已从备份恢复数据库：\n{backup}\n\n损坏的文件保存为：\n{damaged}\n\n备份之后的修改可能需要重新填写。"
STORE_LOCKED_TITLE = "数据库正在被使用"
STORE_LOCKED_HINT = "本程序将退出。请关闭另一个正在运行的年报软件后再打开。"
STORE_ERROR_TITLE = "无法打开数据库"

# -- editor -------------------------------------------------------------------------------------
BACK_TO_LIST = "返回年报列表"
BACK_TO_LIST_TIP = "回到年报列表（所有修改都已自动保存）"
NAV_META = "基本信息"
NAV_CHECK = "检查"
NAV_EXPORT = "导出"
NAV_EXPORT_TIP = "导出 Word / PDF，定稿"
NAV_PRINT = "打印"
NAV_PRINT_TIP = "预览并打印（供领导签字）"
NAV_STATES = {"empty": "未填", "error": "有错误", "warning": "有警告", "done": "已完成"}
NAV_STATE_TIP = "{state}（错误 {errors}，未说明的警告 {warnings}）"
PREV = "上一步"
NEXT = "下一步"
PREV_TO = "← 上一步：{name}"
NEXT_TO = "下一步：{name} →"
PREV_TIP = "上一部分（Ctrl+PgUp）"
NEXT_TIP = "下一部分（Ctrl+PgDown）"
STEP = "第 {i} / {n} 步"
GUIDE_TITLE = "填写说明"
GUIDE_TOGGLE = "填写说明"
GUIDE_TOGGLE_TIP = "显示或隐藏右侧的填写说明"
SAVED_AT = "已自动保存（{time}）"
AUTOSAVE_ON = "修改即自动保存"
FINAL_BANNER = "本年报已于 {time} 定稿，不能修改。如确需修改，请点「取消定稿」并说明原因（会记入修改记录）。"
FINALIZE_CONFIRM = ("定稿后年报将被锁定，不能再修改。\n如以后确需修改，须「取消定稿」并说明原因，"
                    "这一操作会记入修改记录。\n\n现在定稿吗？")
FINALIZE_WITH_ERRORS = "年报还有 {n} 个错误没有改正。仍然定稿吗？\n建议先在「检查」中改正所有错误。"
FINALIZE_ANYWAY = "仍然定稿"
FINALIZED = "已定稿。"
REOPENED = "已取消定稿，可以修改了。"
REOPEN_TITLE = "取消定稿"
REOPEN_TEXT = "取消定稿后年报可以再次修改。请写明原因，它会记入这份年报的修改记录："
REOPEN_PLACEHOLDER = "如：根据上级审核意见修改表三数据"
REOPEN_BUTTON = "取消定稿"
REOPEN_NEED_REASON = "请写明取消定稿的原因。"

# meta page
ORGAN_TYPE_HINT = "{label}的年报另有 {n} 项检查：{titles}。"  # from the rules with when.organ_type
ORGAN_TYPE_HINT_SEP = "；"
ISSUE_DATE_PLACEHOLDER = "如：{date}"  # an example date in the year after the report's
ISSUE_DATE_HINT = "印在落款下方。部门年报一般在1月31日前、县级以上人民政府在3月31日前发布。"
ISSUE_DATE_WINDOW = "检查时，成文日期不在报告年度次年的 {m1}–{m2} 月会提示。"  # the issue_date_window rule
PICK_DATE = "日历"
TODAY = "今天"
SIGNOFF_HINT = "不填则落款为机关名称。"
SIGNOFF_PLACEHOLDER = "{organ}"
OPENING_PLACEHOLDER = ("可不写。写在「一、总体情况」之前的引言，例如：本报告依据《中华人民共和国政府信息公开条例》"
                       "编制……本报告所列数据的统计期限为……")
GUIDE_META = ("机关名称和年度决定报告标题，如「某某市生态环境局2025年政府信息公开工作年度报告」。\n"
              "{organ_checks}"
              "成文日期写阿拉伯数字、不编虚位，如 {example}。")
GUIDE_ORGAN_CHECKS = "机关类型影响检查：{checks}\n"

# text sections
REQUIRED = "必填"
OPTIONAL = "可不写"
TEXT_PLACEHOLDER_REQUIRED = "在这里输入本部分内容。每段一行；小标题单独成行或写在段首，如「（一）主动公开。」"
TEXT_PLACEHOLDER_OPTIONAL = "可不写。"
INSERT_SCAFFOLD = "插入小标题提纲"
INSERT_SCAFFOLD_TIP = "插入本部分应有的小标题（已有的不会重复插入）"
SCAFFOLD_INSERTED = "已插入 {n} 个小标题。"
SCAFFOLD_PRESENT = "应有的小标题都已经有了。"
CHAR_COUNT = "字数：{n}"
COUNT_HINT = "（{hint}）"  # a section's length_hint in forms/
TYPING = "正在输入…"
SAVED = "已保存"
PASTED_PLAIN = "已按纯文本粘贴（去掉了原文的格式和缩进）。"

# table sections
TABLE_HINT = ("直接输入数字，回车或 Tab 移到下一格；可从 Excel/WPS 复制一块数字粘贴进来。没有发生的填 0。"
              "浅蓝色的「总计」由软件自动计算。")  # the derived cells' colour (ui/colors.py DERIVED_BG)
TABLE_TEXT_TITLE = "表格前的文字说明（可不写）"
TABLE_TEXT_REQUIRED = "表格前的文字说明"
GLOSSARY_TITLE = "名词解释："
TABLE_KEYS = ("键盘：方向键移动，回车/Tab 确认并移到下一格，Delete 清除，Ctrl+C / Ctrl+V 复制粘贴，"
              "Ctrl+Z 撤销。表头右上角带圆形标记的，把鼠标停在上面可以看到名词解释。")

# check page
CHECK_OK = _core.CLI_NO_FINDINGS
CHECK_SUMMARY = "共 {errors} 个错误、{warnings} 个警告{explained}{infos}。{advice}"
CHECK_EXPLAINED = "（已说明 {n} 个）"
CHECK_INFOS = "、{n} 个提示"
CHECK_ADVICE_ERRORS = "错误须改正后才能报送。"
CHECK_ADVICE_WARNINGS = "警告如属实际情况，请填写说明。"
GO_TO = "转到"
ACCEPT_TOTAL = "采用自动计算的合计"
ACCEPT_TOTAL_TIP = "导入的文件中的合计与各分项之和不一致：改用按分项计算的合计"
WARNING_EXPLAINED = "警告（已说明）"
EXPLAIN_LABEL = "说明（只打印在检查清单中，不会出现在年报里）："
EXPLAIN_PLACEHOLDER = "如属实际情况，写明原因，例如：上年度报告数据经核实更正。"
EXPLAIN_PRINTED = "说明："
PRINT_CHECKLIST = "打印检查清单…"
SAVE_CHECKLIST = "检查清单存为 PDF…"
CHECKLIST_TITLE = "年报检查清单"
CHECKLIST_NOTE = "检查时间：{time}。本清单供内部审核，不属于年报正文。"
CHECKLIST_FILE = "{organ}{year}年度年报检查清单"  # + .pdf by storage.fileio.safe_filename
CHECKLIST_SAVED = "检查清单已保存：{path}"
GUIDE_CHECK = ("这里列出检查发现的所有问题。点一条问题或「转到」，会打开对应的部分并选中有关的单元格。\n"
               "「错误」须改正后才能报送；「警告」可能是实际情况（如上年数据经更正），可以填写说明。"
               "说明随年报保存，打印在检查清单中，不会印进年报。\n"
               "检查随每次修改自动进行。")

# export page
EXPORT_FILES = "导出文件"
SAVE_TO = "保存到："
CHOOSE_FOLDER = "选择文件夹…"
FILE_NAMES = "文件名：\n{names}"
CHOOSE_KIND = "请至少选择一种文件。"
DO_EXPORT = "导出"
EXPORTING = "正在导出…"
EXPORT_RESULT = "已导出"
OPEN_FILE = "打开文件"
OPEN_FOLDER = "打开所在文件夹"
EXPORTED = "已导出 {n} 个文件。"
GO_CHECK = "去检查"
EXPORT_FAILED_TITLE = "导出失败"
FOLDER_MISSING = "文件夹「{folder}」不存在，请重新选择保存位置。"
REPLACE_FILES = "以下文件已经存在，导出将替换它们：\n{files}"
REPLACE = "替换"
FONTS_USED = "字体"
FONTS_BEFORE_EXPORT = "导出 PDF 后，这里显示标题、正文、各级标题和页码实际使用的字体。Word 文档按公文格式写入字体名称，由 Word/WPS 按名称显示。"
FONTS_CHOSEN = "已指定：{fonts}"
CHOOSE_FONTS = "选择字体…"
FONTS_TITLE = "导出 PDF 使用的字体"
FONTS_HINT = "一般不需要修改：「自动」按公文格式的要求，优先使用仿宋_GB2312、黑体、楷体_GB2312、方正小标宋简体等字体。"
FONTS_AUTO = "自动"
FONTS_RESET = "全部恢复自动"
FONT_ROLES = {role: _fonts.MESSAGES[f"role.{role}"] for role in _fonts.ROLES}  # one wording with the PDF
FINAL_GROUP = "定稿"
DRAFT_TEXT = "目前是草稿，可以随时修改。领导审定后请「定稿」：定稿后年报被锁定，不能再修改。"
FINAL_TEXT = "已于 {time} 定稿，年报已锁定。如确需修改，请「取消定稿」并说明原因。"
GUIDE_EXPORT = ("导出 Word 文档便于按本单位要求再排版，PDF 文件用于发布和报送。两种文件的内容完全相同，"
                "按《党政机关公文格式》（GB/T 9704-2012）排版。\n"
                "网页版用于在政府网站发布：表格带边框和合并单元格，可以搜索和复制。「复制网页版」后可直接粘贴到网站的内容编辑器。\n"
                "「生成送审材料包」把年报、解读、审核报告和交换文件放进一个文件夹（和 zip），便于送领导审核签字。\n"
                "没有定稿或还有错误时，导出的文件每页都标有「草稿」。\n"
                "保存的文件夹会被记住。导出的文件已在 Word 中打开时不能替换，请先关闭。\n"
                "领导审定后请「定稿」。")

# print page
PRINT = "打印…"
OPEN_PDF = "用 PDF 阅读器打开"
REFRESH_PREVIEW = "刷新"
ZOOM_IN = "放大"
FIT_WIDTH = "适合宽度"
ZOOM_OUT = "缩小"
PREVIEW_BUILDING = "正在生成预览…"
PREVIEW_READY = "共 {n} 页，与导出的 PDF 完全相同。"
PREVIEW_HAS_ERRORS = "年报还有错误没有改正。"
PREVIEW_FAILED = "无法生成预览：{detail}"
NO_RENDERER = "本机缺少显示 PDF 页面的组件，无法在这里预览。可以「用 PDF 阅读器打开」后打印。"
PRINT_FAILED = "无法开始打印，请检查打印机。"
PRINTED = "已发送 {n} 页到打印机。"
GUIDE_PRINT = ("这里显示的是将要打印的页面，与导出的 PDF 完全相同。\n"
               "点「打印…」选择打印机，打印出来供领导审核签字。")

# history
HISTORY_TITLE = "修改记录 — {title}"
HISTORY_COLUMNS = ["时间", "内容", "修改"]
HISTORY_KINDS = {"create": "新建", "import": "导入", "copy": "复制", "carry": "从上年结转新建",
                 "finalize": "定稿", "reopen": "取消定稿", "delete": "移到回收站", "restore": "从回收站恢复"}
HISTORY_DECLARED = "{name}（导入文件中的合计）"
HISTORY_EXPLANATION = "警告的说明"
HISTORY_REASON = "原因：{reason}"
HISTORY_TEXT = "修改了文字（现 {n} 字）"
HISTORY_CHANGE = "{old} → {new}"

# -- the table editor ---------------------------------------------------------------------------
TIP_DERIVED = "由软件自动计算，不能直接填写。\n{rule}"
TIP_GLOSS = "「{term}」：{gloss}"
TIP_FINDING = "{severity}：{message}"
TIP_EXPLAINED = "（已说明：{text}）"
PASTE_DONE = "已粘贴 {count} 个单元格。"
PASTE_REFUSED = "已粘贴 {count} 个单元格，{refused} 个被拒绝：{details}"
PASTE_OUTSIDE = "另有 {count} 个超出表格范围，未粘贴。"
PASTE_TOTALS = "{count} 个合计单元格由软件自动计算，未采用粘贴的值。"
PASTE_NO_TARGET = "请先点选要粘贴到的第一个数值单元格，再粘贴。"
PASTE_EMPTY = "剪贴板中没有可以粘贴的内容。"
CLEARED = "已清除 {count} 个单元格。"
UNIT_LABEL = "{name}的单位："
MENU_COPY = "复制"
MENU_PASTE = "粘贴"
MENU_CLEAR = "清除"
DETAIL_SEP = "；"

# -- before the window starts (Linux desktops) ---------------------------------------------------
NO_DISPLAY = ("没有找到图形桌面（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。请在桌面环境中启动本程序；"
              "命令行功能见 gongkai --help。")
XCB_LIBS_MISSING = ("提示：系统可能缺少图形界面所需的库（libxcb-cursor0 等）。如果窗口打不开，请安装：\n"
                    "  sudo apt install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 "
                    "libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 "
                    "libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3")

# -- data safety: locks, read-only stores, the damaged-file dialog (engineer C1) ----------------
LOCK_STORE = "数据库文件是只读的（没有写入权限或在只读的位置），本窗口只能查看和导出，不能修改。"
LOCK_OTHER = ("这份年报正在另一个窗口中编辑（{who}）。为免两边的修改互相覆盖，这里只能查看和导出。"
              "需要在这里修改时，请先关闭另一个窗口，再重新打开本年报。")
LOCK_OTHER_WHO = "电脑 {host}，进程 {pid}，{since} 打开"
LOCK_OTHER_SEP = "；"
LOCK_COLLECTED = ("这是下级单位报送的年报（汇总中收录的），这里只能查看、检查和导出；需要修改的，"
                  "请在「汇总各单位年报」中生成审核意见退回该单位，改好后重新报送。")
LOCK_OTHER_SOMEONE = "另一个程序"
LOCK_STALE = ("这份年报已在另一个窗口中被修改，本窗口显示的内容已经过时，为免覆盖对方的修改，本窗口的修改不再保存。"
              "请把本窗口中尚未保存的文字复制出来，回到年报列表重新打开本年报后再粘贴。")
STALE_TITLE = "年报已在另一个窗口中被修改"
SAVE_REFUSED_TITLE = "没有保存"
READ_ONLY_TITLE_SUFFIX = "（只读）"
READ_ONLY_TITLE = "只能查看"
READ_ONLY_STATUS = "只读：只能查看和导出"
TYPING_LOCKED = "不能输入：{reason}"
TYPING_LOCKED_SHORT = "不能输入"
STORE_DAMAGED_TEXT = "数据库文件已损坏，无法打开：\n{path}"
STORE_DAMAGED_RESTORE = ("可以从最近一次完好的自动备份恢复。\n"
                         "备份时间：{time}（{age}前），备份中有 {backup_reports} 份年报；{damaged}。\n"
                         "恢复后，{time} 以后所做的修改需要重新填写。损坏的文件会保留下来，不会删除。")
STORE_DAMAGED_COUNT = "损坏的文件中有 {n} 份"
STORE_DAMAGED_COUNT_UNKNOWN = "损坏的文件中有多少份已无法统计"
STORE_DAMAGED_DETAIL = "备份文件：{backup}\n技术信息：{detail}"
AGE_MINUTES = "{n} 分钟"
AGE_HOURS = "{n} 小时"
AGE_DAYS = "{n} 天"
FINAL_BANNER_NO_TIME = "本年报已定稿，不能修改。如确需修改，请点「取消定稿」并说明原因（会记入修改记录）。"
FINAL_TEXT_NO_TIME = "已定稿，年报已锁定。如确需修改，请「取消定稿」并说明原因。"
CLOSE_REFUSED = "{reasons}\n\n没有保存的文字仍在编辑框中，可以先复制出来。再次关闭窗口将直接退出，不再保存这些文字。"

# -- export page: outputs from the renderer registry, draft or final, web page, package (engineer H)
EXPORT_GROUP_REPORT = "年报："
EXPORT_GROUP_JIEDU = "解读和图解："
EXPORT_CHECK = "{label}（{suffix}）"
EXPORT_WILL_BE_FINAL = "年报已定稿且没有错误：导出的是正式文件，不带「草稿」标记。"
EXPORT_WILL_BE_DRAFT_NOT_FINAL = ("年报还没有定稿：导出的文件每页都标有「草稿」，只能供审阅。"
                                  "没有错误了，领导审定后可以「定稿」，再导出正式文件。")
EXPORT_WILL_BE_DRAFT_ERRORS = "年报还有 {n} 个错误：导出的文件每页都标有「草稿」，只能供审阅。改正错误并定稿后才能导出正式文件。"
COPY_HTML = "复制网页版"
COPY_HTML_TIP = "把年报的网页版复制到剪贴板，可以直接粘贴到网站的内容编辑器（表格带边框和合并单元格）"
COPIED_HTML = "已复制网页版，可以粘贴到网站的内容编辑器（富文本或源代码模式均可）。"
MAKE_PACKAGE = "生成送审材料包"
MAKE_PACKAGE_TIP = "在保存位置生成一个文件夹和 zip：Word、PDF、网页、解读、审核报告、交换文件和说明"
PACKAGING = "正在生成送审材料包…"
REPLACE_PACKAGE = "送审材料包「{path}」已经存在，生成新的将替换它。"
PACKAGE_FOLDER = "送审材料包"
PACKAGE_ZIP = "压缩包"
PACKAGED = "已生成送审材料包：{path}"


# -- window polish, dialogs in Chinese, the supervising office's list (engineer C2) ---------------
SUMMARIES_PROGRESS = "正在检查年报，更新列表中的完成度和错误/警告数…"
SUMMARIES_PROGRESS_N = "正在检查年报，更新列表中的完成度和错误/警告数（{done} / {total}）…"

# Qt's own words its zh_CN catalogue leaves in English: (context, English) → Chinese (C2)
QT_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QPrintSettingsOutput", "Page &Set:"): "打印页面(&S)：",
}

# -- 汇总: the supervising office's workspace (ui/collection_page.py) ------------------------------
ACT_COLLECTION = "汇总各单位年报（主管部门）…"
COLLECTION_TITLE = "汇总各单位年报"
COLLECTION_YEAR = "年度："
COLLECTION_BACK = "返回年报列表"
COLLECTION_ADD_FOLDER = "收录文件夹…"
COLLECTION_ADD_FILES = "收录文件…"
COLLECTION_EXPECTED = "应报送单位名单…"
COLLECTION_EXPECTED_NOTES = "名单已导入，但有以下情况请核对："
COLLECTION_XLSX = "导出 Excel 汇总表…"
COLLECTION_LETTER = "生成审核意见…"
COLLECTION_OFFICE_PROMPT = "审核意见落款的单位名称（如 某某区人民政府办公室）："
COLLECTION_SEARCH = "按单位名称或类型筛选"
COLLECTION_ALL_STATUSES = "全部状态"
COLLECTION_SUMMARY = "共 {total} 家：未报送 {missing}，有错误 {errors}，有警告 {warnings}，通过 {passed}。双击一行查看该单位的报告和问题。"
COLLECTION_ADDED = "收录 {kept} 份，未收录 {refused} 份（详情见下）。"
COLLECTION_FILE_FILTER = "年报文件 (*.json *.docx *.html *.htm *.pdf *.txt);;所有文件 (*)"
COLLECTION_LIST_FILTER = "名单 (*.csv *.xlsx *.xls *.ods);;所有文件 (*)"
COLLECTION_XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
COLLECTION_LETTER_FILTER = "Word 文档 (*.docx);;PDF 文件 (*.pdf)"
JIEDU_GROUP = "解读"
JIEDU_HINT = ("解读由年报的表格数据和各部分的小标题自动生成，不会写入年报中没有的数字。可以直接修改，"
              "修改随年报保存；导出时勾选「解读」即可得到与年报同样格式的 Word、PDF 和网页。")
JIEDU_GENERATED = "自动生成（随年报数据更新）"
JIEDU_EDITED = "已修改（不再随年报数据自动更新）"
JIEDU_STRAY = "已修改。请核对：解读中的 {numbers} 在年报中没有出现。"
JIEDU_REGENERATE = "重新生成"
JIEDU_REGENERATE_TIP = "放弃修改，按年报当前的数据重新生成解读"
JIEDU_REGENERATE_CONFIRM = "重新生成将放弃对解读所做的修改。继续吗？"


# -- engineer F: 「导入已发布的年报」 (ui/read_dialog.py) and 「从台账计算表三」 (ui/register_dialog.py) --
ACT_READ = "导入已发布的年报…"
TIP_READ = "读取已经发布的年报（Word、网页、PDF、文本），核对后存为一份新的年报，用于结转和跨年度检查"
READ_TITLE = "导入已发布的年报"
READ_FILTER = ("已发布的年报 (*.docx *.doc *.wps *.rtf *.odt *.html *.htm *.mht *.pdf *.txt);;"
               "Word 文档 (*.docx *.doc *.wps);;网页 (*.html *.htm *.mht);;PDF 文件 (*.pdf);;所有文件 (*)")
READ_SOURCE = "原文：{name}"
READ_TAB_REPORT = "读取报告"
READ_TAB_META = "基本信息"
READ_TAB_TABLE = "表{number}"
READ_NONE = "（无）"
READ_SIGNOFF_SAME = "（与机关名称相同）"
READ_SAVE = "保存为新年报"
READ_HINT = ("左边是原文，右边是读出的内容。请核对「读取报告」中列出的推断、未读和空白单元格；"
             "机关名称和类型可以在「基本信息」中改正。保存后仍可像其他年报一样修改。")
READ_SAVED = "已导入已发布的年报：{organ} {year} 年度"
ACT_LEDGER = "从台账计算表三…"
TIP_LEDGER = "读取依申请公开登记台账（Excel、WPS 表格或 CSV），按台账计算表三，与当前表格比较后写入"
LEDGER_TITLE = "从台账计算表三"
LEDGER_FILTER = "登记台账 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)"
LEDGER_CURRENT = "当前的表三"
LEDGER_COMPUTED = "按台账计算（{name}）"
LEDGER_DIFFS = "有 {count} 个单元格与当前的表三不同："
LEDGER_SAME = "台账计算结果与当前的表三一致。"
LEDGER_DIFF_LINE = "  {cell}：当前 {typed}，台账 {computed}"
LEDGER_BLANK = "空白"
LEDGER_WRITE = "写入表三（{count} 个单元格）"
LEDGER_HINT = ("左边是当前的表三，右边是按台账计算的表三。写入只修改不同的单元格，可以用「撤销」一步恢复。"
               "台账的列名或办理结果名称与常用写法不同时，可在台账旁放一个「台账对照.json」（见说明文档）。")
LEDGER_MAP_NAME = "台账对照.json"
LEDGER_WRITTEN = "已按台账写入表三：{count} 个单元格"
LEDGER_MAP = "列名和名称对照…"
LEDGER_MAP_TIP = "指定台账的哪一列是申请人类型、收到日期等，以及本单位的办理结果、申请人类型名称对应表三的哪一行、哪一列；会记在台账旁的「台账对照.json」中"
LEDGER_MAP_TITLE = "台账的列名和名称对照"
LEDGER_MAP_HINT = "请为每一项选择台账中的列；下面列出的办理结果和申请人类型名称，请选择它在表三中对应的行或列。选择会保存在台账旁的「台账对照.json」中，下次自动使用。"
LEDGER_MAP_COLUMNS = "台账的列"
LEDGER_MAP_RESULTS = "未能对应的办理结果"
LEDGER_MAP_APPLICANTS = "未能对应的申请人类型"
LEDGER_MAP_NONE = "（没有这一列）"
LEDGER_MAP_SKIP = "（不计入，列出）"
LEDGER_MAP_NOW = "指定列名"
LEDGER_MAP_USE = "按此对照计算"
LEDGER_DIFF_CELL = "当前 {typed}，台账计算 {computed}"
CARRY_SELECT_OR_READ = ("请先在列表中选中上一年度的年报，再点「从上年结转新建」。\n\n"
                        "上一年度的年报不在本软件中时，可以先导入已经发布的年报（Word、网页或 PDF），再从它结转。")
CARRY_READ_FIRST = "导入已发布的年报"

# -- the writing assistant (engineer E: ui/text_findings.py, ui/compare.py) --
GENERATED_TIP = "这句话由软件按表格数据生成，表格数字改变时会自动更新；手动修改后不再自动更新，由检查核对其中的数字。"
INSERT_SENTENCE = "插入统计语句"
INSERT_SENTENCE_TIP = "按表格数据在光标处写入本部分的统计语句（只列出不为 0 的项目），之后表格改动时自动更新"
SENTENCE_KINDS = {"requests": "申请办理情况", "appeals": "复议诉讼情况", "proactive": "主动公开情况"}
SENTENCE_PRESENT = "统计语句已在正文中。"
SENTENCE_INSERTED = "已插入统计语句（浅色底纹表示随表格自动更新）。"
COMPARE = "与上年对比"
COMPARE_TIP = "左右对照查看本年和上年报告的文字，标出沿用上年的段落"
COMPARE_TITLE = "与 {year} 年度报告对比"
COMPARE_THIS_YEAR = "{year} 年度（本年）"
COMPARE_LAST_YEAR = "{year} 年度（上年）"
COMPARE_SHARE = "「{heading}」约 {share}% 的文字沿用上年（{count} 段）；全文约 {total}%。"
COMPARE_NONE = "（无内容）"
COMPARE_NO_PREVIOUS = "没有找到本机关上一年度的报告，无法对比。"
COMPARE_SECTION = "章节："
COMPARE_LEGEND = "底色标出的段落与上年报告的段落相同或相近（相似度不低于 {similarity}%，年份和数字不同也算相同）。"
APPLY_FIX = "改为「{fix}」"
APPLY_FIX_TIP = "把文中的「{quote}」改为「{fix}」"
FIX_STALE = "这段文字已经改过，请到正文中修改。"
# -- a low window (engineer W: ui/pages/table_section.py) --
TABLE_TEXT_FOLDED = "{title}　已写 {n} 字"  # the folded words before a table, when they hold text
TABLE_TEXT_TOGGLE_TIP = "点击展开或收起表格前的文字；窗口较矮时自动收起，把高度留给表格"
