"""Every Chinese string of the register of applications (依申请公开登记台账 → 表三)."""

# gongkai ledger
CLI_HELP = "从依申请公开登记台账（.xlsx/.xls/.ods/.csv）计算表三；--into 写入年报"
CLI_FILE = "台账文件"
CLI_YEAR = "统计的年度"
CLI_MAP = "列名和办理结果的对照文件（JSON），见 README"
CLI_JSON = "以 JSON 格式输出表三和未能计入的行"
CLI_INTO = "把计算结果写入该编号的年报（只改表三中不同的单元格），并与已填写的表三比较"

# What is read (the register, or the collection's list of organs) names itself in these messages.
WHAT_LEDGER = "台账"
CANNOT_READ = "无法读取{what}文件 {path}：{detail}"
UNKNOWN_KIND = "不支持的{what}文件类型「{suffix}」。可以读取 .xlsx、.xlsm、.xls、.ods 和 .csv。"
BAD_SHEET = "{what}文件 {path} 无法打开（{detail}）：文件可能已损坏，或设有密码。"
TOO_BIG = "{what}文件过大（{size_mb:.1f} MB，上限 {limit_mb} MB）。"
TOO_MANY_ROWS = "{what}有 {rows} 行，超过上限 {limit} 行，请按年度拆分后再读取。"
NO_HEADER = "在台账 {path} 的前 {rows} 行中没有找到表头（应有「申请日期」「申请人类型」「办理结果」等列）。可以用 --map 指定列名。"
MISSING_COLUMNS = "台账中没有找到以下列：{columns}。现有的列：{found}。可以用 --map 指定列名。"
BAD_MAP = "列名对照文件 {path} 无法读取：{detail}"
MAP_UNKNOWN_FIELD = "列名对照文件中的「{field}」不是台账的字段（可用：{choices}）"
MAP_UNKNOWN_ROW = "列名对照文件把「{name}」对应到「{target}」，但表三中没有这一行"
MAP_UNKNOWN_COL = "列名对照文件把「{name}」对应到「{target}」，但表三中没有这一列"
MAP_NO_COLUMN = "列名对照文件指定的列「{column}」（{field}）在台账中不存在"
NOT_A_REPORT_OF_YEAR = "年报（编号 {id}）是 {report_year} 年度的，而台账按 {year} 年统计。"

FIELDS = {
    "applicant_type": "申请人类型", "received": "收到日期", "result": "办理结果", "answered": "答复日期",
    "status": "办理状态", "extended": "是否延期", "corrected": "补正日期", "number": "编号",
}

# what could not be counted (each with the register's row number)
ROW_AT = "第 {row} 行{number}：{problem}"
ROW_NUMBER = "（编号 {number}）"
UNMAPPED_APPLICANT = "申请人类型「{text}」无法对应到表三的列，未计入"
EMPTY_APPLICANT = "没有申请人类型，未计入"
UNMAPPED_RESULT = "办理结果「{text}」无法对应到表三的行，未计入办理结果"
EMPTY_RESULT = "已办结但没有办理结果，未计入办理结果"
NO_RECEIVED = "没有收到日期，未计入"
BAD_DATE = "{field}「{text}」不是日期，未计入"
ANSWER_BEFORE_RECEIPT = "答复日期 {answered} 早于收到日期 {received}，未计入"

# 提示 (deadlines)
HINT_LATE = "第 {row} 行{number}：{received} 收到，{answered} 答复，超过法定期限（{limit_text}，截止 {deadline}）"
HINT_LATE_NO_EXT_COLUMN = "第 {row} 行{number}：{received} 收到，{answered} 答复，超过 20 个工作日（截止 {deadline}）；如已依法延期（最长再延 20 个工作日，至 {extended}），请核对延期手续"
HINT_NO_ANSWER_DATE = "第 {row} 行{number}：有办理结果「{result}」但没有答复日期，按本年度办结计入"
HINT_CALENDAR = "{years} 年的法定节假日安排本软件还不知道，这几年的工作日按周一至周五计算"
LIMIT_20 = "20 个工作日"
LIMIT_40 = "经延期 40 个工作日"

SUMMARY = "台账 {path}：共 {rows} 行，{year} 年度：新收 {new} 件，上年结转 {carried} 件，办结 {closed} 件，结转下年度 {open} 件"
SUMMARY_COLUMNS = "识别的列：{columns}"
SUMMARY_BASIS = "统计口径：新收按收到日期、办结按答复日期计算；{year} 年 12 月 31 日仍未办结的计入「结转下年度继续办理」"
SUMMARY_UNMAPPED = "未能计入的行（{count}）："
SUMMARY_HINTS = "提示（{count}）："
COMPARE_HEAD = "与年报（编号 {id}）中已填写的表三比较：{count} 个单元格不同"
COMPARE_SAME = "与年报（编号 {id}）中已填写的表三一致"
COMPARE_LINE = "  {cell}：已填 {typed}，台账计算 {computed}"
BLANK = "空白"
INTO_DONE = "已将台账计算的表三写入年报（编号 {id}），修改了 {count} 个单元格。"
INTO_NOTHING = "年报（编号 {id}）的表三与台账计算结果相同，没有修改。"
