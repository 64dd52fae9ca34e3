"""Check 9: someone else's words — text that speaks for another organ (copied templates).

Only where the evidence is clear: 「我局」 in a report whose organ is no 局; 「我镇」 in a 街道's report;
a 乡镇（街道） describing the applications its county government received. Another organ's name
where this organ's belongs (the subject of an opening sentence) is a 提示: a name can be cited
for good reasons.
"""

from __future__ import annotations

import re

from . import texts as T
from .base import finding, paragraphs, per_section, quote, sentences

_ORGAN_END = r"(?:人民政府办公室|人民政府|街道办事处|办事处|委员会|办公室|局|委|厅|署|中心)"
SUBJECT = re.compile(rf"^(?:\d{{4}}年度?[，,])?([\u4e00-\u9fff]{{2,20}}?{_ORGAN_END})"
                     r"(?:坚持|认真|深入|紧紧|始终|按照|严格|以|围绕|全面|进一步|高度重视|持续)")
_PLACE = re.compile(r"^.*?(?:省|市|县|区|镇|乡|街道)")


def _core(name: str) -> str:
    """The organ's own part of a name: 「某某市生态环境局」 → 「生态环境局」."""
    return _PLACE.sub("", name, count=1) or name


def _check_voice_section(rule, report, fmt, section, text):
    d = rule.data
    organ = report.meta.organ.strip()
    if not organ:
        return
    organ_type = report.meta.organ_type
    self_re = re.compile(r"[我本](" + "|".join(d.get("self_words", [])) + r")(?![域场划级法])")  # 本区域、本市场、本办法: not a self-reference
    swaps = d.get("place_swaps", {})  # what the organ's name holds -> self words that cannot be it
    county_re = re.compile(d["county_applications"]) if d.get("county_applications") else None
    for m in self_re.finditer(text):
        word = m[1]
        wrong = False
        if word in d.get("organ_words", []):
            wrong = word not in organ
        else:
            wrong = any(held in organ and word in bad and word not in organ for held, bad in swaps.items())
        if wrong:
            yield finding(rule, section, m.span(), text, T.VOICE_SELF.format(quote=m[0], organ=organ),
                          sub="self")
    for para in paragraphs(section, text):
        if county_re is not None and organ_type in d.get("county_for", []):
            for sent in sentences(para):
                cm = county_re.search(sent.text)
                if cm:
                    span = (sent.start + cm.start(), sent.start + cm.end())
                    yield finding(rule, section, span, text, T.VOICE_COUNTY.format(
                        quote=quote(cm[0]), organ=organ), sub="county")
        sm = SUBJECT.match(para.text)
        if sm:
            name = sm[1]
            if name in organ or organ in name or _core(name) in organ or _core(organ) in name:
                continue
            if re.match(r"^(?:我|本)", name):
                continue
            span = (para.start + sm.start(1), para.start + sm.end(1))
            yield finding(rule, section, span, text, T.VOICE_OTHER_ORGAN.format(quote=name, organ=organ),
                          severity="info", sub="other")


check_voice = per_section(_check_voice_section)
