"""The Chinese wording of the text checks' findings and of the generated sentences."""

SEP = "、"
OPENING_NAME = "开头段落"
CELLS_SUM = "{cells}之和"

# 1. numbers vs tables
NUMBER_MISMATCH = "文中写的「{quote}」与表格不符：{what}为 {value}。"
SHARE_MISMATCH = "文中「{quote}」的百分比与表格不符：按表格计算约为 {share}%。"
NEGATION_MISMATCH = "文中说「{quote}」，但{what}为 {value} 件。"
ALL_CLAIM_MISMATCH = "文中说「{quote}」，但表四中共 {total} 件、结果维持的只有 {part} 件（其余为纠正、其他结果或尚未审结）。"

# 2. breakdowns
BREAKDOWN_OVER = "「{quote}」：其中各项之和为 {sum}，超过总数 {total}（多 {diff}）。"
BREAKDOWN_UNDER = "「{quote}」：其中各项（含「其他」）之和为 {sum}，与总数 {total} 不符（少 {diff}）。"
BREAKDOWN_PARTIAL = "「{quote}」：其中列出的各项之和为 {sum}，少于总数 {total}。如果没有列全，可以不改；如果已列全，请核对数字。"
SHARE_MISMATCH_OF = "「{quote}」：按总数 {total} 计算，所占比例应约为 {share}%。"

# 3. repeats
REPEAT_SAME = "这一段与「{where}」中的「{first}」一段完全相同：「{quote}」。同一段话在年报中重复出现。"
REPEAT_NEAR = "这一段与「{where}」中的「{first}」一段几乎相同（相似度 {score}%）：「{quote}」。"

# 4. reuse
REUSE_SECTION = ("「{heading}」约 {share}% 的文字沿用了 {year} 年度报告（{count} 段相同或相近）。"
                 "有的地方把重复内容超过 {limit}% 作为扣分项，内容雷同也是被问责的情形之一，请结合本年度工作改写。")
REUSE_REPORT = "全文约 {share}% 的文字沿用了 {year} 年度报告（超过 {limit}%），请结合本年度工作改写。"

# 5. dates
PERIOD_WRONG = "统计期限写的是「{quote}」，{year} 年度报告的统计期限应为 {year}年1月1日至{year}年12月31日。"
STALE_YEAR = "「{quote}」写的是 {found} 年，本报告是 {year} 年度报告（可能是沿用上年内容时没有改）。"
STALE_TITLE_YEAR = "「{quote}」写的是 {found} 年度，本报告是 {year} 年度报告。"
DATE_DOUBLED = "日期「{quote}」中年份重复。"
DATE_BAD_YEAR = "「{quote}」不是有效的年份。"
DATE_NO_MONTH = "日期「{quote}」缺少月份。"
DATE_NO_DAY = "日期「{quote}」缺少「日」字。"
DATE_IMPOSSIBLE = "日期「{quote}」不存在，请核对。"
BY_DATE_LATE = "「{quote}」晚于成文日期 {issue}。"

# 6. basis
BASIS_ISSUER = "「{quote}」中的发文机关代字有误：应为「{right}」，不是「{wrong}」。"
BASIS_OTHER_ERA = "「{quote}」是{other}的依据（适用于{years}的年度报告）；{year} 年度报告应依据{mine}。"
YEARS_RANGE = " {a}—{b} 年"
YEARS_FROM = " {a} 年起"
BASIS_NUMBER = "「{quote}」的文号有误，请核对（同年的相关通知为：{right}）。"
BASIS_BRACKETS = "文号「{quote}」的年份应使用六角括号〔〕：{right}。"
BASIS_TITLE = "文件名称「{quote}」与原名称不一致，应为「{right}」。"
BASIS_OLD_WORDING = "「{sentence}」中的「{quote}」是旧版年报格式（试行）的表述，{year} 年度报告应按{name}填写。"

# 7. headings
HEADING_TYPED = "「{quote}」是章节标题，程序会自动加上，正文中不需要再写。"
HEADING_HALF_WIDTH = "小标题「{quote}」使用了半角括号，应为「{right}」。"
HEADING_REPEAT = "小标题「{quote}」与上一个小标题序号重复。"
HEADING_GAP = "小标题「{quote}」序号不连续，按顺序应为「{right}」。"
HEADING_ARABIC = "「{quote}」是一级小标题，应写作「{right}」。"
HEADING_MIXED = "同一章节中序号格式不统一：「{quote}」与其他各项不同，建议统一为「{right}」。"
HEADING_ANNOUNCED = "文中说「{quote}」（{announced} 个），但后面列了 {count} 个。"

# 8. unfinished
PLACEHOLDER = "文中还有占位符「{quote}」，请填写实际内容。"
BLANK_NUMBER = "「{quote}」中缺少数字。"
PROBLEMS_NONE = "「{heading}」只写了「无」。请写明本年度工作存在的主要问题和改进措施，以及上年度问题的整改情况。"
PROBLEMS_NO_MEASURES = "「{heading}」（「{quote}」）只列了问题，没有写改进措施。"
TOO_LONG = "「{heading}」共 {length} 字，超过 {limit} 字。有的地方要求总体情况简练（约 {limit} 字），可以适当精简。"

# 9. someone else's words
VOICE_SELF = "「{quote}」不是本机关（{organ}）的自称，可能沿用了其他单位的文字。"
VOICE_COUNTY = "「{quote}」写的是上级政府收到或办理的申请；本报告是{organ}的年报，应写本机关的情况。"
VOICE_OTHER_ORGAN = "这里写的是「{quote}」，本报告的机关是{organ}。如果是沿用其他单位的文字，请改为本机关。"

# Statistics sentences written from the tables (report/sentences.py)
SENT_NO_REQUESTS = "本年度未收到政府信息公开申请。"
SENT_NEW = "本年度共新收政府信息公开申请{n}件"
SENT_NO_NEW = "本年度未新收政府信息公开申请"
SENT_CARRIED = "，上年结转{n}件"
SENT_HANDLED = "办结{n}件，其中{parts}"
SENT_PART = "{name}{n}件"
SENT_CARRY_FORWARD = "结转下年度继续办理{n}件"
SENT_NO_APPEALS = "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
SENT_APPEALS_START = "本年度因政府信息公开工作"
SENT_REVIEW = "被申请行政复议{n}件，其中{parts}"
SENT_NO_REVIEW = "未被申请行政复议"
SENT_LITIGATION = "被提起行政诉讼{n}件，其中{parts}"
SENT_LITIGATION_PART = "{kind}{n}件（{parts}）"
SENT_LITIGATION_ONE = "被提起行政诉讼{n}件，均为{kind}，其中{parts}"
SENT_NO_LITIGATION = "未被提起行政诉讼"
SENT_PROACTIVE_START = "本年度"
SENT_NO_PROACTIVE = "本年度主动公开政府信息情况表所列各项均为零。"
# Blank is not zero: what is said instead while a sentence's cells are not all filled in
SENT_NOT_FILLED = "{tables}还有空白单元格，填完（没有发生的填 0）后才能写出统计语句。"
SENT_PLACEHOLDER = "（{tables}填完后，这里自动写出统计语句。）"
SENT_PROACTIVE = {  # by column: how a sentence states that column's figure for a row
    "issued": "制发{row}{n}件", "repealed": "废止{row}{n}件", "in_force": "现行有效{row}{n}件",
    "decisions": "作出{row}决定{n}件", "fee_amount": "收取{row}{n}{unit}",
    "new_made": "新制作{row}{n}件", "new_published": "新公开{row}{n}件", "total_published": "对外公开{row}总数{n}件",
    "purchase_count": "{row}项目{n}个", "purchase_amount": "{row}总金额{n}{unit}",
}
