"""Every user-facing string of the core and the command line, in one place so the wording stays
consistent. The window's own strings live in ``gongkai_desktop/ui/texts.py``."""

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
SECTION_STATES = {"empty": "未填", "error": "有错误", "warning": "有警告", "done": "已完成"}
STATUS = {"draft": "草稿", "final": "已定稿"}

# forms
FORMS_MISSING = "找不到年报格式文件（forms 目录），程序安装可能不完整，请重新安装。"
UNKNOWN_FORMAT = "未知的年报格式「{format_id}」。"
YEAR_TOO_EARLY = "{year} 年早于现行年报格式（{first} 年起施行），本软件不支持。"
YEAR_IN_FUTURE = "{year} 年还没有到，不能编写该年度的年报。"
YEAR_NO_FORMAT = "没有适用于 {year} 年的年报格式。"
YEAR_NOT_NUMBER = "年度「{text}」不是有效的年份，请填写四位数字，如 2025。"

# values typed into cells
VALUE_NOT_NUMBER = "「{text}」不是数字。请填写阿拉伯数字，没有发生的填 0。"
VALUE_SLASH = "「{text}」不能作为数值：没有发生的请填 0，不要填「/」或「无」。"
VALUE_NEGATIVE = "{name}不能是负数（填写了 {text}）。"
VALUE_NOT_INTEGER = "{name}须为整数（填写了 {text}）。"
VALUE_TOO_LARGE = "{name}的数值 {text} 过大，请核对（上限为 10 亿）。"
VALUE_TOO_MANY_DECIMALS = "{name}最多保留 6 位小数（填写了 {text}）。"
VALUE_DERIVED = "{name}由软件自动计算，不能直接填写。"

# findings
FIND_SUM = "{title}。{where}{left} ＝ {left_sum}，而 {right} ＝ {right_sum}，相差 {diff}。"
FIND_TOTAL = "{title}：{name}为 {declared}，但各分项之和为 {computed}（{parts}）。"
FIND_BLANK = "{title}：表{number}有 {count} 个空白单元格（{cells}）。"
FIND_KIND = "{title}：{message}"
FIND_META = "{title}：请填写{fields}。"
FIND_ISSUE_DATE = "{title}：成文日期为 {date}，一般应在 {year} 年 {m1}–{m2} 月之间。"
FIND_SECTION_EMPTY = "{title}：「{heading}」还没有填写内容。"
FIND_SAME_AS_LAST = "{title}：「{heading}」与 {year} 年度报告的内容完全相同。"
FIND_MENTION = "{title}（「{heading}」中没有提到「{words}」）。"
FIND_PREV_MISSING = "上年度报告中没有对应数据"
AND_MORE = "等"
META_FIELD = {"organ": "机关名称", "organ_type": "机关类型", "year": "报告年度", "issue_date": "成文日期", "signoff": "落款"}
LIST_SEP = "、"

# report/store
DEFAULT_SIGNOFF = ""
REPORT_FINAL = "该年报已定稿，不能修改。如需修改，请先「取消定稿」。"
REPORT_NOT_FOUND = "找不到编号为 {id} 的年报。"
UNKNOWN_SECTION = "未知的章节「{id}」。"
UNKNOWN_CELL = "格式 {format_id} 中没有单元格 {key}。"
UNKNOWN_ORGAN_TYPE = "未知的机关类型「{value}」，可选：{choices}。"
ORGAN_REQUIRED = "请填写机关名称。"
DATE_INVALID = "成文日期「{text}」无效，请按 2026-01-20 或 2026年1月20日 填写。"
TEXT_TOO_LONG = "{where}的文字超过 {limit} 字，请精简。"
CARRY_WRONG_YEAR = "只能从 {year} 年度的年报结转到 {next} 年度（要求结转到 {to}）。"
CARRY_EXISTS = "{organ} 的 {year} 年度年报已经存在（编号 {id}）。"
STORE_LOCKED = "数据库正被另一个程序占用（{path}），请稍后再试，或关闭另一个正在运行的年报软件。"
STORE_DAMAGED = "数据库文件已损坏（{path}）：{detail}"
STORE_DAMAGED_HINT = "可以从最近的自动备份恢复：{backup}"
STORE_NEWER = "数据库（{path}）由更新版本的软件创建（结构版本 {found}，本程序支持到 {supported}），请升级软件。"
STORE_NOT_DB = "文件 {path} 不是年报数据库。"
STORE_RESTORED = "已从备份 {backup} 恢复数据库，损坏的文件保存为 {damaged}。"
STORE_NO_BACKUP = "没有可用的备份。"

# exchange files
IMPORT_NOT_UTF8 = "文件不是 UTF-8 编码的文本：{detail}"
IMPORT_BAD_JSON = "文件不是有效的 JSON（第 {line} 行第 {col} 列：{msg}）。"
IMPORT_TOO_BIG = "文件过大（{size} 字节，上限 {limit} 字节），不是年报交换文件。"
IMPORT_NOT_EXCHANGE = "这不是年报交换文件（kind 应为 gongkai-report）。"
IMPORT_SCHEMA = "交换文件版本 {schema} 不受支持（本程序支持版本 {supported}），请升级软件。"
IMPORT_FORMAT_YEAR = "年报格式「{format_id}」与年度 {year} 不符（{year} 年应使用「{expected}」）。"
IMPORT_REJECTED = "导入失败，没有写入任何内容。发现 {count} 个问题："
IMPORT_AT = "{where}：{problem}"
IMPORT_UNKNOWN_TABLE = "没有表格「{id}」"
IMPORT_UNKNOWN_ROW = "表{number}没有行「{id}」"
IMPORT_UNKNOWN_COL = "表{number}的行「{row}」没有列「{id}」"
IMPORT_UNKNOWN_SECTION = "没有章节「{id}」"
IMPORT_UNKNOWN_KEY = "未知的字段「{key}」"
IMPORT_WRONG_TYPE = "应为{expected}，实际是 {got}"
IMPORT_TEXT_TOO_LONG = "文字长度 {length} 超过上限 {limit}"
IMPORT_CONTROL_STRIPPED = "{where}含有 {count} 个不能写入 Word 文档的控制字符，已删除。"
IMPORT_MISSING = "缺少必需的字段「{key}」"
JSON_ERRORS = {  # the json module's messages, as a clerk can act on them
    "Expecting value": "这里应该是一个值",
    "Expecting property name enclosed in double quotes": "字段名须用英文双引号括起来",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Unterminated string starting at": "字符串没有结束",
    "Extra data": "JSON 结束后还有多余内容",
    "Invalid control character at": "字符串中有控制字符",
}
JSON_CONSTANT = "不允许 {name}"
TYPE_NAMES = {"object": "对象", "string": "文字", "integer": "整数", "number": "数字", "decimal": "数字字符串", "null": "空"}

# command line
CLI_DESCRIPTION = "政府信息公开工作年度报告：编写、检查、导出。"
CLI_NO_FINDINGS = "检查通过：没有发现问题。"
CLI_SUMMARY = "共 {errors} 个错误、{warnings} 个警告、{infos} 个提示。"
CLI_CANNOT_READ = "无法读取「{path}」：{detail}"
CLI_NOT_FOUND = "找不到文件或年报「{arg}」。"
CLI_CREATED = "{id}"
CLI_EMPTY_STORE = "数据库中还没有年报。"
CLI_BAD_COMMAND = "命令有误：{detail}"
CLI_ARGPARSE = [  # argparse's own English, translated in its messages
    ("the following arguments are required", "缺少必需的参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("invalid int value", "不是整数"),
    ("expected one argument", "需要一个参数值"),
    ("argument", "参数"),
]
CLI_HELP = {
    "db": "数据库文件（默认在用户数据目录）",
    "command": "命令",
    "schema": "显示某年度适用的年报格式",
    "new": "新建年报，输出编号",
    "organ_type": "government（人民政府）/ department（政府部门）/ township（乡镇（街道））/ other（其他）",
    "list": "列出数据库中的年报",
    "import": "导入交换文件，输出编号",
    "dump": "输出年报的交换文件",
    "carry": "从上年年报结转新建下一年度年报，输出编号",
    "check": "检查交换文件或数据库中的年报",
    "export": "导出 Word 和/或 PDF",
    "font": "指定某一用途的字体，如 body=仿宋_GB2312（可重复）",
}
CLI_LIST_LINE = "{id}\t{year}\t{organ}\t{format}\t{status}\t完成 {progress:.0%}\t错误 {errors}\t警告 {warnings}\t{updated}"
CLI_EXPLANATION = "\n    说明：{text}"
CLI_EXPORT_NO_TARGET = "请用 --docx 和/或 --pdf 指定输出文件。"
CLI_FONT_ARG = "字体参数「{item}」应为 用途=字体名，如 body=仿宋_GB2312。"
CLI_INTERNAL = "程序内部错误：{detail}。请把这条信息告诉维护人员。"

# store
STORE_CANNOT_OPEN = "无法打开数据库 {path}：{detail}"
STORE_IO = "数据库操作失败（{path}）：{detail}"
STORE_DISK_FULL = "磁盘空间不足，无法保存到数据库（{path}）。请清理磁盘后重试，已保存的内容不受影响。"
STORE_READ_ONLY = "数据库文件是只读的，无法保存（{path}）。请检查文件权限或换一个位置。"
STORE_BACKUP_FAILED = "备份数据库失败：{detail}"
STORE_UNKNOWN_FIELD = "未知的年报信息字段「{field}」。"
STORE_UNIT_INVALID = "{name}的单位不能是「{unit}」，可选：{choices}。"

# export
EXPORT_NOTHING = "请指定要导出的 Word 文档和/或 PDF 文件。"
EXPORT_NO_FOLDER = "文件夹「{folder}」不存在，无法保存「{name}」。请选择其他位置。"
EXPORT_IS_FOLDER = "「{path}」是一个文件夹，请指定文件名。"
EXPORT_READ_ONLY = "「{path}」是只读文件，无法覆盖。请取消只读属性，或另存为其他文件名。"
EXPORT_FOLDER_READ_ONLY = "没有权限在文件夹「{folder}」中保存文件，请选择其他位置。"
EXPORT_LOCKED = ("无法写入「{path}」：文件可能正在 Word、WPS 或 PDF 阅读器中打开，或者是只读文件。"
                 "请关闭该文件后重试，或另存为其他文件名。原有文件没有被改动。")
EXPORT_WRITE_FAILED = "无法写入「{path}」：{detail}。原有文件没有被改动。"
EXPORT_PARTIAL = "（已经导出的文件：{paths}）"
EXPORT_RENDER_FAILED = "生成{kind}时出错：{detail}"
EXPORT_UNKNOWN_ROLE = "未知的字体用途「{roles}」，可选：{choices}。"
EXPORT_HAS_ERRORS = "年报检查发现 {count} 个错误，导出的文件只能作为草稿供审阅。请改正后再正式上传或印发。"
EXPORT_WRITTEN = "已导出：{path}"
EXPORT_PDF_FONTS = "PDF 使用的字体："
EXPORT_NOT_EMBEDDED = ("注意：本机没有可以嵌入 PDF 的中文字体，PDF 中的中文使用 STSong-Light（未嵌入），"
                       "在其他电脑上可能无法正常显示，不宜直接发布。")
EXPORT_KIND_DOCX = "Word 文档"
EXPORT_KIND_PDF = "PDF 文件"
EXPORT_DEFAULT_NAME = "政府信息公开工作年度报告"
