"""Every Chinese string of the reader of published reports (``gongkai read``, 「导入已发布的年报」)."""

# gongkai read
CLI_HELP = "读取已发布的年报（.docx、网页、PDF、.txt，以及经 LibreOffice 转换的 .doc/.wps/.rtf/.odt），存为新的年报并输出编号"
CLI_FILE = "已发布的年报文件"
CLI_DRY_RUN = "只读取不保存：交换文件输出到屏幕，读取报告输出到标准错误"

KIND_LABELS = {
    "docx": "Word 文档（.docx）", "html": "网页（.html）", "pdf": "PDF 文件", "txt": "文本文件（.txt）",
    "office": "{suffix} 文件（经 LibreOffice 转换）",
}

# refusing a file (nothing is stored)
CANNOT_READ = "无法读取文件 {path}：{detail}"
EMPTY_FILE = "文件 {path} 是空的。"
UNKNOWN_KIND = "不支持的文件类型「{suffix}」。可以读取 .docx、.html/.htm/.mht、.pdf、.txt，以及经 LibreOffice 转换的 .doc、.wps、.rtf、.odt。"
TOO_BIG = "文件过大（{size_mb:.1f} MB，上限 {limit_mb} MB），不像一份年报。如是网页，请另存为“仅 HTML”后再读取。"
NOT_ZIP = "文件 {path} 不是有效的 Word 文档（.docx）：文件已损坏，或者其实是其他格式。可在 Word/WPS 中打开后另存为 .docx 再试。"
DOCX_NO_BODY = "文件 {path} 缺少 Word 文档的正文部分（word/document.xml），无法读取。"
ZIP_BOMB = "文件 {path} 解压后过大（超过 {limit_mb} MB），已停止读取。这不像一份正常的年报文档。"
BAD_XML = "文件 {path} 的内容无法解析（{detail}），文件可能已损坏。"
PDF_BAD = "文件 {path} 不是有效的 PDF，或已损坏（{detail}）。"
PDF_ENCRYPTED = "PDF 文件 {path} 设有打开密码，无法读取。请取得不加密的版本，或在能打开它的软件中另存一份不加密的 PDF。"
PDF_NO_TEXT = "PDF 文件 {path} 没有文字层（可能是扫描件或图片），本软件不做文字识别，无法读取。请取得 Word 版或网页版的年报。"
NO_OFFICE = "读取 {suffix} 文件需要 LibreOffice，但本机没有安装。请安装 LibreOffice（https://zh-cn.libreoffice.org/），或在 Word/WPS 中将文件另存为 .docx 后再读取。"
OFFICE_FAILED = "LibreOffice 未能转换文件 {path}：{detail}"
OFFICE_TIMEOUT = "LibreOffice 转换文件 {path} 超时（{seconds} 秒），已停止。"
NOT_A_REPORT = "文件 {path} 看起来不是政府信息公开工作年度报告：没有找到年报标题、六个部分的标题，也没有找到统计表。"
NO_YEAR = "没有从文件 {path} 中读出报告年度（标题应形如「……2023年政府信息公开工作年度报告」）。"
NO_ORGAN = "没有从文件 {path} 中读出机关名称（标题或落款中应有机关名称）。"
HTML_UNDECODABLE = "网页 {path} 的文字编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）。"

# the reading report
REPORT_HEAD = "读取报告：{path}（{kind}）"
REPORT_FORMAT = "格式：{name}（{format_id}），依据表格本身识别"
REPORT_FORMAT_BY_YEAR = "格式：{name}（{format_id}），表格中没有可区分格式的内容，按年度确定"
FORMAT_MISMATCH = "表格使用的是 {found} 格式，但 {year} 年度应使用 {expected} 格式：已按 {expected} 保存，两种格式共有的单元格照录，其余未读入（{lost}）。"
REPORT_META = "机关：{organ}；年度：{year}；成文日期：{date}；机关类型：{organ_type}"
REPORT_TABLE = "表{number}（{name}）：读出 {found}/{expected} 个单元格"
REPORT_SECTIONS = "找到的部分：{found}"
REPORT_SECTIONS_MISSING = "没有找到的部分：{missing}"
REPORT_GUESS = "  推断：{text}"
REPORT_SKIP = "  未读：{text}"
REPORT_BLANK = "  空白：{cells}"
REPORT_NOTE = "说明：{text}"
REPORT_UNMATCHED = "未能识别的表格：{text}"
NONE = "无"
DATE_UNKNOWN = "未找到"

# guesses and notes
GUESS_ORGAN_FROM_SIGNOFF = "标题中没有机关名称，取落款「{organ}」作为机关名称"
GUESS_ORGAN_TYPE = "机关类型按名称推断为「{label}」"
GUESS_YEAR_FROM_TEXT = "标题中没有年度，按正文「{text}」推断为 {year} 年"
GUESS_LABEL_TRUNCATED = "「{found}」按截断的「{label}」读取"
GUESS_LABEL_SIMILAR = "「{found}」与「{label}」相近，按后者读取"
GUESS_UNIT = "{cell}：「{text}」读作 {value}（单位「{unit}」已去掉）"
GUESS_UNIT_CONVERTED = "{cell}：「{text}」按元换算为 {value} 万元"
GUESS_UNIT_FROM_HEADER = "{cell}：表头注明单位为元，{text} 元换算为 {value} 万元"
GUESS_UNIT_CHOSEN = "{cell}：金额单位取「{unit}」"
GUESS_EXTRA_CELLS = "{row}这一行有 {found} 个数值单元格（应为 {expected} 个），多出的空白单元格已忽略"
SKIP_EXTRA_CELLS = "{row}这一行有 {found} 个数值单元格（应为 {expected} 个），按顺序读取前 {expected} 个，其余未读（{extra}）"
SKIP_FEW_CELLS = "{row}这一行只有 {found} 个数值单元格（应为 {expected} 个），缺少的单元格留空"
SKIP_BAD_VALUE = "{cell}：「{text}」无法读作数值，留空"
SKIP_ROW_MISSING = "没有找到「{label}」这一行，其单元格留空"
SKIP_ROW_DUPLICATE = "「{label}」这一行出现了两次，只读取第一次"
BLANK_MARK = "{cell}（原表为「{text}」）"
BLANK_EMPTY = "{cell}（原表为空）"
NOTE_DECLARED_TOTAL = "{cell}：原表的合计为 {declared}，与各分项之和 {computed} 不一致，已照录，由检查报告"
NOTE_TABLE_IMAGES = "{heading}中有 {count} 张图片、没有表格文字：表格如果只以图片形式发布，本软件不做文字识别，未读取，只导入了文字"
NOTE_TEXT_IN_TABLE_SECTION = "「{heading}」下的文字（{chars} 字）不属于该部分的固定内容，未导入：{preview}"
NOTE_CONVERTED = "已用 LibreOffice 将 {suffix} 文件转换为 Word 文档后读取"
NOTE_ENCODING = "网页编码：{encoding}"
NOTE_ENCODING_FALLBACK = "网页声明的编码「{declared}」与内容不符，按 {encoding} 读取"
NOTE_TEXT_LAYOUT = "表{number}按文字版式读取（{layout}）"
LAYOUTS = {"cells": "表格", "lines": "每行一个单元格或一行", "bars": "单元格以「|」分隔"}
NOTE_PDF_PAGES_NO_TEXT = "第 {pages} 页没有文字（可能是图片），未读取"
NOTE_OPENING = "标题与「一、总体情况」之间的文字作为报告开头段落导入"
NOTE_HEADING_VARIANT = "「{found}」作为「{heading}」读取"

# the reading report's table names in "where" messages
ROW_NAME = "表{number}「{label}」"
ROW_APPEALS = "表四数值行"
