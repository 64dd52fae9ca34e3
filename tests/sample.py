"""A complete, plausible report for tests: ``full_report(year, organ)``.

Numbers satisfy every arithmetic rule of the format (R1–R4); the texts use （一）… sub-headings,
run-in headings, a numbered item, numbers that agree with the tables, and one character outside
the BMP (𠮷, U+20BB7) so the exporters' text layers can be checked.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from gongkai_desktop.report.model import Report

DEFAULT_ORGAN = "某某市生态环境局"

# Table 三 outcome rows (2021 and 2019) with counts per applicant column:
# natural_person, business, research, public_interest, legal_service, other_org
_COLS = ("natural_person", "business", "research", "public_interest", "legal_service", "other_org")
_OUTCOMES_COMMON = {
    "disclosed": (63, 9, 1, 0, 4, 2),
    "partial": (11, 2, 0, 0, 1, 0),
    "withheld_secret": (0, 0, 0, 0, 0, 0),
    "withheld_prohibited": (1, 0, 0, 0, 0, 0),
    "withheld_safety": (0, 0, 0, 0, 0, 0),
    "withheld_third_party": (2, 1, 0, 0, 0, 0),
    "withheld_internal": (1, 0, 0, 0, 0, 0),
    "withheld_process": (3, 0, 0, 0, 0, 0),
    "withheld_enforcement": (0, 0, 0, 0, 0, 0),
    "withheld_query": (2, 0, 0, 0, 0, 0),
    "unable_not_held": (21, 3, 0, 1, 1, 0),
    "unable_needs_creation": (4, 0, 0, 0, 0, 0),
    "unable_unclear": (2, 0, 0, 0, 0, 0),
    "refused_petition": (5, 0, 0, 0, 0, 0),
    "refused_repeat": (3, 0, 0, 0, 0, 0),
    "refused_publication": (1, 0, 0, 0, 0, 0),
    "refused_massive": (0, 0, 0, 0, 0, 0),
    "refused_confirm": (1, 0, 0, 0, 0, 0),
}
_OUTCOMES_2021 = {
    "other_no_correction": (3, 1, 0, 0, 0, 0),
    "other_no_fee": (0, 0, 0, 0, 0, 0),
    "other_other": (1, 0, 0, 0, 0, 0),
}
_OUTCOMES_2019 = {"other_handling": (4, 1, 0, 0, 0, 0)}
_CARRIED = (4, 1, 0, 0, 0, 0)
_CARRY_FORWARD = (6, 1, 0, 0, 1, 0)

_APPEALS = {
    "review_upheld": 3, "review_corrected": 1, "review_other": 0, "review_pending": 1,
    "direct_upheld": 2, "direct_corrected": 0, "direct_other": 1, "direct_pending": 1,
    "after_review_upheld": 1, "after_review_corrected": 0, "after_review_other": 0, "after_review_pending": 0,
}

_PROACTIVE_2021 = {
    ("rules", "issued"): 2, ("rules", "repealed"): 1, ("rules", "in_force"): 27,
    ("normative", "issued"): 14, ("normative", "repealed"): 6, ("normative", "in_force"): 105,
    ("licensing", "decisions"): 1286,
    ("penalty", "decisions"): 357,
    ("coercion", "decisions"): 0,
    ("fees", "fee_amount"): Decimal("0.092"),
}
_PROACTIVE_2019 = {
    ("rules", "new_made"): 2, ("rules", "new_published"): 2, ("rules", "total_published"): 27,
    ("normative", "new_made"): 14, ("normative", "new_published"): 14, ("normative", "total_published"): 105,
    ("licensing", "prev_count"): 48, ("licensing", "change"): -3, ("licensing", "decisions"): 1286,
    ("other_services", "prev_count"): 12, ("other_services", "change"): 2, ("other_services", "decisions"): 0,
    ("penalty", "prev_count"): 216, ("penalty", "change"): 5, ("penalty", "decisions"): 357,
    ("coercion", "prev_count"): 9, ("coercion", "change"): 0, ("coercion", "decisions"): 0,
    ("fees", "prev_count"): 3, ("fees", "change"): -1,
    ("procurement", "purchase_count"): 17, ("procurement", "purchase_amount"): Decimal("436.58"),
}


def _overview(organ: str, year: int, new_total: int) -> str:
    return f"""{year}年，{organ}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级关于政务公开工作的部署要求，围绕中心工作，推进决策、执行、管理、服务、结果“五公开”，政府信息公开工作取得新成效。
（一）主动公开。全年通过门户网站主动公开政府信息1268条，其中机构职能、政策文件、规划计划等基础信息402条，行政许可、行政处罚等执法信息845条，财政预决算信息21条。发布政策解读36篇，其中图片、视频等多元化解读14篇，主要负责同志解读3次。
（二）依申请公开。严格按照《条例》规定的程序和时限办理依申请公开事项，全年新收政府信息公开申请{new_total}件，均在法定期限内答复。完善申请登记、审核、答复、归档全流程管理，规范答复文书格式，答复内容做到依据充分、告知明确。
（三）政府信息管理。开展行政规范性文件清理，废止失效文件6件，及时在门户网站标注文件有效性。落实公开前保密审查和“三审三校”制度，全年未发生泄密和不当公开事件。
（四）政府信息公开平台建设。优化门户网站政府信息公开专栏，新增“生态环境质量”“环评审批”等栏目8个；在𠮷安路政务服务中心设立政府信息公开查阅点，为群众查阅提供便利。
1.网站建设。完成网站适老化和无障碍改造，全年网站访问量达52.3万人次。
2.新媒体平台。政务微信公众号发布信息912条，关注人数较上年增长18%。
（五）监督保障。将政府信息公开工作纳入年度绩效考核，组织专题培训2次，参训人员120人次；主动接受社会评议，全年未发生因政府信息公开工作被责任追究的情况。"""


def _problems(year: int) -> str:
    return f"""{year}年，本单位政府信息公开工作虽然取得了一定成效，但仍存在一些不足：一是政策解读形式还不够丰富，部分解读材料可读性不强；二是依申请公开答复的规范性有待进一步提升；三是基层工作人员业务能力仍需加强。
针对上述问题，下一步将重点做好以下工作：
（一）丰富解读形式。推行图表、短视频等多元化解读，提高政策解读的针对性和可读性。
（二）规范申请办理。修订依申请公开工作规程，加强答复文书的合法性审查。
（三）加强队伍建设。组织业务培训，提升工作人员依法公开的意识和能力。
对上年度报告提出的“公开栏目更新不及时”问题，已建立栏目更新提醒机制，按月通报，整改到位。"""


def _other(year: int, organ_type: str) -> str:
    if organ_type == "government":
        return f"""（一）信息处理费收取情况。{year}年，本机关未收取信息处理费。
（二）政务公开工作要点落实情况。按照本年度政务公开工作要点，逐项细化任务分工，全部按时完成。
（三）人大代表建议和政协提案办理结果公开情况。全年承办人大代表建议43件、政协提案51件，办理复文已全部公开。
（四）工作创新情况。无。"""
    return f"""（一）信息处理费收取情况。{year}年，本单位未收取信息处理费。
（二）其他事项。无。"""


def full_report(year: int = 2025, organ: str = DEFAULT_ORGAN, organ_type: str = "department",
                issue_date: _dt.date | None = None) -> Report:
    """A complete report (gb2021 for 2021+, gb2019 for 2019/2020) that passes the arithmetic."""
    report = Report.new(organ, year, organ_type, today=_dt.date(max(year + 1, 2026), 12, 31))
    fmt = report.format
    outcomes = dict(_OUTCOMES_COMMON)
    outcomes.update(_OUTCOMES_2021 if fmt.id != "gb2019" else _OUTCOMES_2019)
    new = []
    for i, col in enumerate(_COLS):
        handled = sum(v[i] for v in outcomes.values())
        n = handled + _CARRY_FORWARD[i] - _CARRIED[i]
        assert n >= 0
        new.append(n)
        report.values[("requests", "new", col)] = n
        report.values[("requests", "carried", col)] = _CARRIED[i]
        report.values[("requests", "carry_forward", col)] = _CARRY_FORWARD[i]
        for row, counts in outcomes.items():
            report.values[("requests", row, col)] = counts[i]
    for col, v in _APPEALS.items():
        report.values[("appeals", "counts", col)] = v
    proactive = _PROACTIVE_2021 if fmt.id != "gb2019" else _PROACTIVE_2019
    for (row, col), v in proactive.items():
        report.values[("proactive", row, col)] = v
    if fmt.id == "gb2019":
        report.meta.units["proactive/procurement/purchase_amount"] = "万元"
    # Every typed cell must be filled.
    missing = [k for k, v in report.values.items() if v is None]
    assert not missing, missing

    report.sections["overview"] = _overview(organ, year, sum(new))
    report.sections["requests"] = (
        f"{year}年，本单位收到的政府信息公开申请主要涉及建设项目环境影响评价、排污许可、环境信访处理结果等方面，"
        "申请渠道以网上申请和信函申请为主。"
    )
    report.sections["appeals"] = ""
    report.sections["problems"] = _problems(year)
    report.sections["other"] = _other(year, organ_type)
    report.meta.issue_date = issue_date or _dt.date(year + 1, 1, 20)
    report.meta.opening = (
        f"本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》编制，"
        f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
        f"本报告电子版可在{organ}门户网站（www.example.gov.cn）查阅或下载。如对本报告有疑问，请与本单位办公室联系。"
    )
    return report


def new_applications_total(report: Report) -> int:
    return report.value(("requests", "new", "total"))  # type: ignore[return-value]
