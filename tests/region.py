"""A generated region for the supervising office's tests and benchmark: many organs' reports,
each with its own words and numbers, every one passing the arithmetic."""

from __future__ import annotations

import random

from gongkai_desktop.report.model import Report

from sample import full_report

_HANZI = ("政务公开信息发布平台建设规范管理服务群众办理申请答复制度培训考核监督保障栏目网站解读"
          "政策文件规划计划财政预算决算执法许可处罚强制收费标准事项清单目录指南流程时限渠道窗口"
          "热线咨询回应关切舆情数据开放基层标准化规范化试点示范创新机制协同联动责任落实整改提升")

TYPES = ("department", "township", "government", "other")


def _words(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        out.append("".join(rng.choice(_HANZI) for _ in range(rng.randint(2, 4))))
        if rng.random() < 0.12:
            out.append("，")
    return "".join(out) + "。"


def organ_text(rng: random.Random, organ: str, year: int) -> dict[str, str]:
    return {
        "overview": f"{year}年，{organ}" + "\n".join(_words(rng, 40) for _ in range(4)),
        "problems": ("本年度工作中存在以下不足：" + _words(rng, 30) + "\n针对上述问题，下一步将"
                     + _words(rng, 30) + "\n" + _words(rng, 20)),
        "other": f"（一）信息处理费收取情况。{year}年，本单位未收取信息处理费。\n" + _words(rng, 12),
    }


def organ_report(i: int, year: int = 2025, *, seed: int = 0) -> Report:
    rng = random.Random(seed * 100_003 + i)
    organ = f"某某区第{i + 1}局" if i % 3 else f"某某区第{i + 1}街道办事处"
    organ_type = "township" if i % 3 == 0 else "department"
    report = full_report(year, organ, organ_type)
    # Vary the numbers while keeping the arithmetic: move some 予以公开 into 新收.
    extra = rng.randint(0, 40)
    report.values[("requests", "disclosed", "natural_person")] += extra
    report.values[("requests", "new", "natural_person")] += extra
    report.values[("proactive", "licensing", "decisions")] = rng.randint(0, 5000)
    for sid, text in organ_text(rng, organ, year).items():
        report.sections[sid] = text
    report.sections["requests"] = ""
    report.meta.opening = ""
    return report


def region(n: int, year: int = 2025, seed: int = 0) -> list[Report]:
    return [organ_report(i, year, seed=seed) for i in range(n)]
