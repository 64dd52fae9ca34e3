"""Every Chinese string of the supervising office's collection (dashboard, workbook, 审核意见)."""

# Dashboard statuses, worst first (the order the dashboard sorts by).
STATUS_MISSING = "未报送"
STATUS_ERRORS = "有错误"
STATUS_WARNINGS = "有警告"
STATUS_PASSED = "通过"
STATUS_FINAL = "已定稿"
STATUS_ORDER = (STATUS_MISSING, STATUS_ERRORS, STATUS_WARNINGS, STATUS_PASSED, STATUS_FINAL)

# What happened to each file of a collect run.
ADDED = "已收录"
REPLACED = "已替换此前报送的版本"
UNCHANGED = "与已收录的版本相同，未重复收录"
COVERED = "与同批的「{name}」是同一份报告，以交换文件为准，未重复收录"
SAME_AS = "与同批的「{name}」是同一份报告，未重复收录"
DIFFERS_FROM_EXCHANGE = "与同批的交换文件「{name}」内容不一致，已按交换文件收录；请核实报送单位发来的两个文件哪个是定稿"
CONFLICT = "冲突：本批文件中有 {count} 份都是「{organ}」{year}年的报告（{files}），均未收录，请确认后只保留一份再汇总"
WRONG_YEAR = "这是{found}年的报告，本次汇总的是{year}年，未收录"
NOT_A_REPORT = "不是年报文件（只收交换文件 .json 和已发布的年报 .docx/.html/.pdf/.txt）"
UNREADABLE = "无法读取：{detail}"
UID_DIFFERS = "与此前收录的「{organ}」报告不是同一份草稿（编号不同），按重新报送处理"
PATH_MISSING = "路径不存在：{path}"

# Expected list (应报送单位名单).
EXPECT_WHAT = "应报送单位名单"
EXPECT_NO_ORGAN_COLUMN = "应报送单位名单中找不到单位名称列（表头应为「单位名称」「单位」「机关名称」之一）"
EXPECT_UNKNOWN_TYPE = "第 {row} 行的单位类型「{value}」无法识别，按{default}处理"
EXPECT_DUPLICATE = "第 {row} 行的「{organ}」与第 {first} 行的「{other}」是同一单位（写法不同），只计一次"
MATCH_SUGGESTION = "「{got}」与名单中的「{expected}」相近，未自动合并，请确认是否同一单位"

# Dashboard columns.
COL_ORGAN = "单位"
COL_TYPE = "类型"
COL_STATUS = "状态"
COL_ERRORS = "错误"
COL_WARNINGS = "警告"
COL_RECEIVED = "收到时间"
COL_REUSE_OWN = "与本单位上年重复"
COL_SIMILAR = "与其他单位雷同"
COL_CARRY = "上年结转核对"
COL_SOURCE = "来源文件"
CARRY_OK = "一致"
CARRY_MISMATCH = "不一致"
CARRY_UNKNOWN = "无上年报告"
SIMILAR_ITEM = "{organ}（{share}）"
SIMILAR_FINDING = ("报告文字与「{organ}」的报告高度雷同（本报告约 {share} 的文字在对方报告中出现），"
                   "请核实是否照搬了模板或其他单位的报告。")

# Sums.
MIXED_FORMATS = ("本次汇总混有不同格式的报告：{counts}。只汇总与{main}含义相同的单元格，"
                 "{skipped} 个单元格未汇总（如表二的栏目、表三（六）的细项）")
AGGREGATE_ORGAN = "{region}（汇总）"
AGGREGATE_DEFAULT_REGION = "本地区"

# Workbook.
SHEET_DASHBOARD = "报送情况"
SHEET_FINDINGS = "问题清单"
SHEET_MISSING = "未报送单位"
SHEET_TABLE = "表{number}汇总"
FINDINGS_HEADER = ("单位", "类型", "级别", "规则", "问题", "所在部分", "单元格")
COLLECTION_RULE = "汇总"  # the rule column of the collection's own findings (near copies)
OPENING_SECTION = "开头段落"

# 审核意见.
LETTER_TITLE = "关于{year}年度政府信息公开工作年度报告的审核意见"
LETTER_TITLE_ONE = "关于{organ}{year}年度政府信息公开工作年度报告的审核意见"
LETTER_OPENING = ("经审核，{year}年度政府信息公开工作年度报告存在以下问题，请对照修改后重新报送。"
                  "修改时请同时核对报告正文与统计表格的数字是否一致。")
LETTER_OPENING_ONE = ("经审核，你单位报送的{year}年度政府信息公开工作年度报告存在以下问题，"
                      "请对照修改后重新报送。")
LETTER_NO_FINDINGS = "未发现问题。"
LETTER_FINDING = "{n}. 【{severity}】{message}"
LETTER_MISSING_HEADING = "未报送单位"
LETTER_MISSING = "截至本意见印发时，以下单位尚未报送年度报告：{organs}。"
LETTER_SIGNOFF_DEFAULT = "政府信息公开工作主管部门"
CLI_OFFICE = "审核意见落款的单位名称，如 某某区人民政府办公室"

# Command line.
CLI_SUMMARY = "汇总 {year} 年：收录 {added} 份，替换 {replaced} 份，未收录 {failed} 份；应报送 {expected} 家，未报送 {missing} 家"
CLI_FILE_PROBLEM = "  · {path}：{message}"
CLI_HELP = "汇总各单位报送的年报（交换文件和已发布的年报）：收录、检查、汇总数字，输出报送情况表和审核意见"
CLI_PATHS = "报送的文件或文件夹（可多个；不给则只显示已收录的情况）"
CLI_YEAR = "汇总的报告年度，如 2025"
CLI_EXPECT = "应报送单位名单（.csv/.xlsx/.xls/.ods，含「单位名称」列，可有「单位类型」列）"
CLI_JSON = "以 JSON 格式输出报送情况和汇总数字"
CLI_XLSX = "把报送情况、汇总表和问题清单写入 Excel 文件"
CLI_DOCX = "把汇总数字写成一份年报草稿（Word），供本级政府年报参考"
CLI_LETTER = "写出审核意见（.docx 或 .pdf）"
CLI_TYPES = "只汇总这些类型的单位，如 department,township（默认全部）"
CLI_REGION = "汇总数字所属地区的名称，如 某某区"
CLI_WRITTEN = "已写入：{path}"
CLI_ROW = "{status}\t{organ}\t错误 {errors}\t警告 {warnings}{similar}"
CLI_ROW_MISSING = "{status}\t{organ}"
CLI_ROW_SIMILAR = "\t与{others}雷同"
