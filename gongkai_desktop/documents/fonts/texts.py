"""The fonts package's Chinese strings (roles, choices, refusals, hints), reviewed in one place."""

MESSAGES: dict[str, str] = {
    "role.title": "标题",
    "role.body": "正文",
    "role.heading": "一级标题",
    "role.subheading": "二级标题",
    "role.pagenum": "页码",
    "role.latin": "西文和数字",
    "describe.face": "{role}：{family}（{location}）",
    "describe.face_substitute": "{role}：{family}（{location}），代替{wanted}",
    "describe.face_override": "{role}：{family}（{location}），用户指定",
    "describe.cid": "{role}：未找到可嵌入的中文字体，使用 STSong-Light（不嵌入）",
    "describe.latin_none": "{role}：未找到 Times New Roman，西文和数字使用各部分的中文字体",
    "describe.fallback": "缺字补充字体：{names}",
    "describe.fallback_none": "缺字补充字体：无（生僻字可能显示为方框）",
    "location.face_index": "{path} 第 {index} 个字体",
    "reason.cff": "它是 PostScript（CFF）轮廓字体，无法嵌入 PDF",
    "reason.variable": "它是可变字体，无法正确嵌入 PDF",
    "reason.fstype": "它的授权不允许嵌入",
    "reason.no_outline": "它没有可用的字形轮廓",
    "note.installed_not_embeddable": "已安装 {name}，但{reason}，已改用其他字体",
    "note.override_not_found": "所选{role}字体「{name}」未找到，已按默认顺序选择",
    "note.override_refused": "所选{role}字体「{name}」不可用：{reason}，已按默认顺序选择",
    "note.override_not_cjk": "所选{role}字体「{name}」不含常用汉字，仍按用户指定使用",
    "hint.not_embedded": "PDF 中的中文字体未嵌入，在其他电脑上可能显示为乱码或方框。",
    "hint.windows": "请安装 TrueType 版的 仿宋_GB2312、楷体_GB2312、黑体、方正小标宋简体 等字体"
    "（可只为当前用户安装），然后重新导出 PDF。",
    "hint.linux": "请安装可嵌入的中文字体，例如在 Debian/Ubuntu/麒麟/统信上执行："
    "sudo apt install fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei，然后重新导出 PDF。",
    "hint.macos": "请安装 TrueType 版的 仿宋_GB2312、楷体_GB2312、黑体、方正小标宋简体 等字体，然后重新导出 PDF。",
    "missing_chars": "以下字符在所有已安装的字体中都找不到，PDF 中显示为方框：{chars}",
    "missing_chars_hint": "可安装含生僻字的字体（如 Windows 的 SimSun-ExtB，或 fonts-hanazono）后重新导出。",
}
