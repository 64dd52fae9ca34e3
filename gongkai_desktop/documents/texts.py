"""The Chinese strings the document plan and the renderers put in documents or raise.

Kept in the documents room (the export page and the CLI show them as they are)."""

# The mark on every page of a draft export (GB/T 9704 has no header: the mark sits in the top
# margin, outside the text block, and never in a final export).
DRAFT_MARK = "草稿"
DRAFT_NOT_FINAL = "尚未定稿"
DRAFT_HAS_ERRORS = "检查发现 {count} 个错误"
DRAFT_HEADER = "草稿（{reasons}，仅供审阅，不得作为正式文件印发）"
DRAFT_REASON_SEPARATOR = "，"

# A layout the PDF engine could not place: said in words the clerk can act on.
LAYOUT_FAILED = ("无法排版{where}：其中有一段内容（如很长的表格或标题）无法放进一页。"
                 "请把该部分分成较短的段落后重新导出。（{detail}）")
LAYOUT_WHERE_SECTION = "「{heading}」"
LAYOUT_WHERE_DOCUMENT = "这份年报"
