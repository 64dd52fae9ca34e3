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

# values typed into cells
VALUE_NOT_NUMBER = "「{text}」不是数字。请填写阿拉伯数字，没有发生的填 0。"
VALUE_SLASH = "「{text}」不能作为数值：没有发生的请填 0，不要填「/」或「无」。"
VALUE_NEGATIVE = "{name}不能是负数（填写了 {text}）。"
VALUE_NOT_INTEGER = "{name}须为整数（填写了 {text}）。"
VALUE_TOO_LARGE = "{name}的数值 {text} 过大，请核对（上限为 {limit}）。"
VALUE_TOO_MANY_DECIMALS = "{name}最多保留 {decimals} 位小数（填写了 {text}）。"
VALUE_DERIVED = "{name}由软件自动计算，不能直接填写。"

# findings
FIND_SUM = "{title}。{where}{left} ＝ {left_sum}，而 {right} ＝ {right_sum}，相差 {diff}。"
FIND_TOTAL = "{title}：{name}为 {declared}，但各分项之和为 {computed}（{parts}）。"
FIND_BLANK = "{title}：表{number}有 {count} 个空白单元格（{cells}）。"
FIND_KIND = "{title}：{message}"
FIND_META = "{title}：请填写{fields}。"
FIND_ISSUE_DATE = "{title}：成文日期为 {date}，不在报告年度的次年；{report_year} 年度的年报一般在 {year} 年 {m1}–{m2} 月成文。"
FIND_ISSUE_DATE_LATE = "{title}：成文日期为 {date}，晚于 {year} 年 {m2} 月；年报一般在报告年度次年的 {m1}–{m2} 月成文。"
FIND_ISSUE_DATE_EARLY = "{title}：成文日期为 {date}，早于 {year} 年 {m1} 月；年报一般在报告年度次年的 {m1}–{m2} 月成文。"
FIND_SECTION_EMPTY = "{title}：「{heading}」还没有填写内容。"
FIND_SAME_AS_LAST = "{title}：「{heading}」与 {year} 年度报告的内容完全相同。"
FIND_MENTION = "{title}（「{heading}」中没有提到「{words}」）。"
AND_MORE = "等"
META_FIELD = {"organ": "机关名称", "organ_type": "机关类型", "year": "报告年度", "issue_date": "成文日期", "signoff": "落款",
              "opening": "开头段落", "units": "单位"}  # labels of model.META_FIELDS
LIST_SEP = "、"

# report/store
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
STORE_DAMAGED_HINT = ("可以从最近一份完好的自动备份恢复：{backup}（备份于 {time}，其中有 {backup_reports} 份年报，"
                      "损坏的文件中{damaged}）。恢复后，{time}之后所做的修改需要重新填写。")
STORE_NEWER = "数据库（{path}）由更新版本的软件创建（结构版本 {found}，本程序支持到 {supported}），请升级软件。"
STORE_NOT_DB = "文件 {path} 不是年报数据库。"
STORE_RESTORED = "已从备份 {backup} 恢复数据库，损坏的文件保存为 {damaged}。"
STORE_NO_BACKUP = "没有可用的备份。"

# exchange files
IMPORT_NOT_UTF8 = "文件不是 UTF-8 编码的文本：{detail}"
IMPORT_BAD_JSON = "文件不是有效的 JSON（第 {line} 行第 {col} 列：{msg}）。"
IMPORT_BAD_JSON_AT = "文件不是有效的 JSON（{msg}）。"
IMPORT_BAD_BYTE = "第 {offset} 个字节无法解码"
IMPORT_TOO_BIG = "文件过大（{size} 字节，上限 {limit} 字节），不是年报交换文件。"
IMPORT_NOT_EXCHANGE = "这不是年报交换文件（kind 应为 gongkai-report）。"
IMPORT_VERSION_UNKNOWN = "无法识别的交换文件版本「{version}」（本程序读取版本 1 至 {supported}）。"
IMPORT_VERSION_MISSING = "交换文件缺少版本号（version），无法读取。"
IMPORT_VERSION_NEWER = "该交换文件是版本 {version}，由更新版本的软件导出；本程序只能读取到版本 {supported}，请升级软件后再导入。"
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
IMPORT_TOP = "顶层"
IMPORT_MORE = "  …（另有 {count} 个问题）"
IMPORT_DUPLICATE_KEY = "字段「{key}」出现了不止一次，无法确定以哪个为准"
IMPORT_SURROGATE = "含有无效的字符（孤立的 UTF-16 代理项），文件可能已损坏"
IMPORT_KEY_CONTROL = "字段名中含有控制字符"
IMPORT_KEY_TOO_LONG = "字段名长 {length} 个字符，超过上限 {limit}"
IMPORT_KEY_EMPTY = "字段名不能为空"
IMPORT_UID = "年报标识「{value}」无效，应为 32 位十六进制数字"
IMPORT_STATUS = "状态「{value}」无效，可选：{choices}"
IMPORT_FINALIZED_DRAFT = "只有已定稿（final）的年报才有定稿时间"
IMPORT_FINALIZED_AT = "定稿时间「{value}」无效，应为 2026-01-20T09:30:00+08:00 这样的时间"
IMPORT_UNIT = "单位不能是「{value}」，可选：{choices}"
IMPORT_NO_UNIT = "无单位"
IMPORT_SENTENCE_KIND = "句子类型须为 1 至 {limit} 个字符"
IMPORT_BOM = "文件开头有多余的字节顺序标记（BOM），请用“UTF-8”而不是“UTF-8 BOM”重新保存。"
JSON_ERRORS = {  # the json module's messages, as a clerk can act on them
    "Expecting value": "这里应该是一个值",
    "Expecting property name enclosed in double quotes": "字段名须用英文双引号括起来",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Unterminated string starting at": "字符串没有结束",
    "Extra data": "JSON 结束后还有多余内容",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的反斜杠转义",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "多余的字节顺序标记（BOM）",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "列表末尾多了逗号",
}
JSON_OTHER = "无法解析"  # a json message not in the table above: never shown in English
JSON_NUMBER = "数字位数过多或无法解析"
JSON_TOO_DEEP = "嵌套层数过多"
JSON_CONSTANT = "不允许 {name}"
TYPE_NAMES = {"object": "对象", "string": "文字", "integer": "整数", "number": "数字", "decimal": "数字字符串", "null": "空",
              "boolean": "真假值", "array": "列表", "other": "其他值"}

# command line
CLI_DESCRIPTION = "政府信息公开工作年度报告：编写、检查、导出。"
CLI_NO_FINDINGS = "检查通过：没有发现问题。"
CLI_SUMMARY = "共 {errors} 个错误、{warnings} 个警告、{infos} 个提示。"
CLI_CANNOT_READ = "无法读取「{path}」：{detail}"
CLI_NOT_FOUND = "找不到文件或年报「{arg}」。"
CLI_CREATED = "{id}"
CLI_EMPTY_STORE = "数据库中还没有年报。"
CLI_BAD_COMMAND = "命令有误：{detail}"
CLI_NOT_INTEGER = "「{text}」不是整数"
CLI_ARGPARSE = {  # argparse's own messages (its gettext ids), as argparse formats them
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值（应为 %(type)s）",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多需要一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "expected %s argument": "需要 %s 个参数值",
    "expected %s arguments": "需要 %s 个参数值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开「%(filename)s」：%(error)s",
}
CLI_HELP = {
    "help": "显示本帮助并退出",
    "version": "显示程序版本并退出",
    "db": "数据库文件（默认为环境变量 GONGKAI_DB，或用户数据目录中的 reports.db）；写在命令前后均可",
    "command": "命令",
    "commands": "命令（「gongkai 命令 -h」显示该命令的用法）",
    "format": "显示某年度适用的年报格式（表格、行、列的编号和名称）",
    "new": "新建年报，输出编号",
    "organ_type": "机关类型：{choices}（默认按年报格式）",
    "list": "列出数据库中的年报",
    "import": "导入交换文件，输出编号",
    "dump": "输出年报的交换文件",
    "carry": "从上年年报结转新建下一年度年报，输出编号",
    "check": "检查交换文件或数据库中的年报",
    "sentences": "按表格数据生成各章节的统计语句",  # engineer E
    "export": "导出 Word、PDF 和/或网页",
    "jiedu": "导出年报的解读（Word、PDF、网页）和图解（PDF 或 PNG）",
    "package": "生成送审材料包（文件夹和 zip）",
    "package_out": "材料包放在哪个文件夹下",
    "package_no_zip": "只生成文件夹，不生成 zip",
    "font": "指定某一用途的字体，如 body=仿宋_GB2312（可重复）",
    "year": "报告年度，如 2025",
    "json": "以 JSON 格式输出",
    "organ": "机关名称",
    "file": "交换文件（.json）",
    "id": "年报编号（见 gongkai list）",
    "output": "写入的文件；给出文件夹时使用默认文件名（省略则输出到屏幕）",
    "to_year": "结转到的年度（上年年度加 1）",
    "target": "交换文件，或数据库中的年报编号",
    "docx": "导出的 Word 文档",
    "pdf": "导出的 PDF 文件",
}
CLI_LIST_LINE = "{id}\t{year}\t{organ}\t{format}\t{status}\t完成 {progress:.0%}\t错误 {errors}\t警告 {warnings}\t{updated}"
CLI_EXPLANATION = "\n    说明：{text}"
CLI_FINDING_WHERE = "{heading}："  # engineer S: the section a text finding is in, before its message
CLI_EXPORT_NO_TARGET = "请用 {options} 指定至少一个输出文件。"
CLI_OUTPUT_HELP = "输出文件：{labels}"
CLI_OUTPUT_LABEL = "{label}（{suffix}）"
CLI_FONT_ARG = "字体参数「{item}」应为 用途=字体名，如 body=仿宋_GB2312。"
CLI_INTERNAL = "程序内部错误：{detail}。请把这条信息告诉维护人员（设置环境变量 GONGKAI_DEBUG=1 可看到详细信息）。"
CLI_OS_ERROR = "无法读写「{path}」：{detail}。"

# store
STORE_IO = "数据库操作失败（{path}）：{detail}"
STORE_DISK_FULL = "磁盘空间不足，无法保存到数据库（{path}）。请清理磁盘后重试，已保存的内容不受影响。"
STORE_READ_ONLY = "数据库文件是只读的，无法保存（{path}）。请检查文件权限或换一个位置。"
STORE_BACKUP_FAILED = "备份数据库失败：{detail}"
STORE_UNKNOWN_FIELD = "未知的年报信息字段「{field}」。"
STORE_UNIT_INVALID = "{name}的单位不能是「{unit}」，可选：{choices}。"

# storage: data safety (engineer A)
STORE_DAMAGED_EMPTY = "文件是空的，或只有文件头而没有年报数据，但旁边有自动备份"
STORE_DAMAGED_COUNT = "有 {n} 份"
STORE_DAMAGED_UNCOUNTED = "的年报份数无法读出"
STORE_TIME = "{t.year}年{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}"
STORE_DISK_FULL_OPEN = "磁盘空间已满，无法打开数据库（{path}）。请清理磁盘（删除不需要的文件、清空回收站）后再打开，数据库中的内容不受影响。"
STORE_READ_ONLY_EDIT = "数据库是以只读方式打开的（{path}），不能修改。请检查文件和文件夹的权限，或把数据库复制到可写的位置后再打开。"
STORE_READ_ONLY_UPGRADE = "数据库（{path}）需要升级才能使用，但文件或所在文件夹是只读的，无法升级。请检查权限后再打开。"
STORE_STALE_EDIT = "「{where}」已在另一个窗口中被修改，为免覆盖那边的内容，这次修改没有保存。请重新打开这份年报，查看最新内容后再修改。"
STORE_GENERATED_INVALID = "自动生成语句的记录格式不正确：{detail}。"
STORE_JIEDU = "解读"

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

# operating-system errors while writing a file (storage/fileio.os_error_text)
OS_NAME_TOO_LONG = "文件名或路径过长，请换一个较短的文件名或较浅的文件夹"
OS_DISK_FULL = "磁盘空间不足"
OS_READ_ONLY_DISK = "该磁盘是只读的"
OS_NO_PERMISSION = "没有写入权限"
OS_IS_FOLDER = "已有同名的文件夹"
OS_NOT_FOLDER = "路径中的某一部分不是文件夹"
OS_NO_FOLDER = "文件夹不存在"
OS_IO = "磁盘读写出错（U 盘或网络盘可能已断开）"
OS_INVALID_NAME = "文件名中有系统不允许的字符"
OS_TOO_MANY_FILES = "同时打开的文件过多"
OS_EXISTS = "文件已存在"
OS_BUSY = "文件正被其他程序使用"
OS_OTHER = "系统错误（错误码 {code}）"

# outputs (documents/export.py's renderer registry; engineer H)
EXPORT_KIND_HTML = "网页"
EXPORT_KIND_HTML_FRAGMENT = "网页片段（粘贴到网站编辑器）"
EXPORT_KIND_JIEDU_DOCX = "解读 Word 文档"
EXPORT_KIND_JIEDU_PDF = "解读 PDF 文件"
EXPORT_KIND_JIEDU_HTML = "解读网页"
EXPORT_KIND_TUJIE_PDF = "图解 PDF 文件"
EXPORT_KIND_TUJIE_PNG = "图解图片"
NAME_TAIL_FRAGMENT = "（网页片段）"
NAME_TAIL_JIEDU = "解读"
NAME_TAIL_TUJIE = "图解"
EXPORT_UNKNOWN_KIND = "未知的导出类型「{kind}」，可选：{choices}。"
EXPORT_BAD_SUFFIX = "「{path}」的扩展名不对，应为 {suffixes}。"

# the 解读 (documents/jiedu.py; engineer H): generated wording, third person, figures from the tables
JIEDU_SUBJECT = "政府信息公开工作年度报告解读"
JIEDU_OPENING = ("为便于公众了解和监督，现对《{title}》（以下简称《报告》）解读如下。"
                 "《报告》依据{regulation}和{notice}的要求编制，"
                 "所列数据的统计期限为{year}年1月1日至{year}年12月31日。")
JIEDU_NOTICE_NUMBER = "（{notice}）"
JIEDU_ORGAN_YEAR = "{organ}{year}年"
JIEDU_WORK = "政府信息公开工作"
JIEDU_WORK_WORD = "公开"
JIEDU_PART_ASPECTS = "《报告》从{aspects}等方面介绍了{who}{name}。"
JIEDU_PART = "《报告》介绍了{who}{name}。"
JIEDU_QUOTED = "《报告》显示，{sentence}"  # a statistics sentence of report/sentences.py, quoted
JIEDU_COUNT_UNIT = "件"
JIEDU_TOTAL_LABEL = "总计"
JIEDU_SEP = "、"
JIEDU_SEP_MAJOR = "，"

# engineer E: gongkai sentences
CLI_SENTENCE_LINKED = "（已插入正文，随表格更新）"

# the package for sign-off and its 审核报告 (documents/package.py; engineer H)
EXPORT_KIND_AUDIT_PDF = "审核报告（检查清单和说明）PDF 文件"
AUDIT_TAIL = "审核报告"
AUDIT_SUBJECT = "政府信息公开工作年度报告审核报告"
AUDIT_NOTE = "检查时间：{time}。本审核报告列出软件检查发现的问题和填报人员的说明，供内部审核，不属于年报正文，不对外公开。"
AUDIT_SUMMARY = "共发现 {errors} 个错误、{warnings} 个警告、{infos} 个提示。"
AUDIT_NONE = "检查通过：没有发现问题。"
AUDIT_GROUP = "{label}（{n} 个）"
AUDIT_EXPLANATION = "填报人员说明：{text}"
AUDIT_NO_EXPLANATION = "填报人员说明：（未填写）"
AUDIT_STATUS_DRAFT = "年报状态：{status}。本审核报告和送审材料均为{header}。"
AUDIT_STATUS_FINAL = "年报状态：{status}。检查没有错误，送审材料为正式文件。"
AUDIT_SIGN_LINES = ("审核人：＿＿＿＿＿＿＿＿　　日期：＿＿年＿＿月＿＿日",  # one printed line each
                    "签发人：＿＿＿＿＿＿＿＿　　日期：＿＿年＿＿月＿＿日")
PACKAGE_TAIL = "送审材料"
PACKAGE_EXCHANGE = "交换文件（可在本软件中导入，或报送上级单位汇总）"
PACKAGE_README = "本说明"
PACKAGE_README_TITLE = "{title}送审材料"
PACKAGE_README_MADE = "生成时间：{time}"
PACKAGE_README_DRAFT = "注意：年报尚未定稿或还有错误，以下文件均为草稿（每页标有「草稿」），仅供审阅。"
PACKAGE_README_FINAL = "年报已定稿，检查没有错误，以下文件为正式文件。"
PACKAGE_README_FILES = "本文件夹包含："
PACKAGE_README_LINE = "  {name}    {what}"
PACKAGE_README_NOTE = "审核报告供内部审核，不对外公开；发布时使用年度报告的 PDF 文件或网页，解读可一并发布。"
PACKAGE_NO_FOLDER = "文件夹「{folder}」不存在，无法生成送审材料包。请选择其他位置。"
PACKAGE_EXISTS = "送审材料包「{path}」已经存在。"
PACKAGE_LOCKED = "无法替换「{path}」：其中的文件可能正在 Word、WPS 或 PDF 阅读器中打开。请关闭后重试。原有文件没有被改动。"
PACKAGE_WRITTEN = "已生成送审材料包：{path}"
PACKAGE_ZIP_WRITTEN = "已生成压缩包：{path}"

# the 图解 (documents/tujie.py; engineer H)
TUJIE_PERIOD = "统计期限：{year}年1月1日至{year}年12月31日"
TUJIE_PROACTIVE = "主动公开"
TUJIE_FLOW = "依申请公开：收到和办理"
TUJIE_CARRIED = "上年结转"
TUJIE_NEW = "本年新收"
TUJIE_IN_HAND = "本年应办理"
TUJIE_HANDLED = "本年度办理结果"
TUJIE_CARRY_FORWARD = "结转下年度继续办理"
TUJIE_RESULTS = "办理结果"
TUJIE_APPEALS = "行政复议、行政诉讼"
TUJIE_TOTAL = "共{n}件"
TUJIE_BLANK = "—"
TUJIE_SOURCE = "数据来源：《{title}》"
