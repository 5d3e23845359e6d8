"""One self-contained HTML page: vis-network, the page's script and style, and the view's data, inline.

No request leaves the page: a Content-Security-Policy forbids every fetch, and everything it needs
is in the file. The file is written as UTF-8 whatever the system encoding (pyvis's ``write_html``
uses the system encoding, which fails on Chinese Windows).

>>> from chainkg.graph.synthetic import viz_graph as generate
>>> from chainkg.visualize.views import build_view
>>> html = render_page(build_view(generate(80, seed=5), "overview"), date="2024-01-15")
>>> html.startswith("<!DOCTYPE html>") and "https://" not in html.split("<script>")[0]
True
>>> "<img src=x" in html
False
"""

from __future__ import annotations

import datetime as _dt
import functools
import html as _html
import json
from importlib import resources
from pathlib import Path
from typing import Any

from chainkg.schema import SCHEMA

from . import i18n
from .payload import view_payload
from .views import View

VIS_VERSION = "9.1.2"
#: Legend swatches of the panorama (fill, border), as the boxes are drawn.
PANO_SWATCH = {"covered": ("#c8e6c9", "#2e7d32"), "weak": ("#ffe0b2", "#e67e00"), "missing": ("#f8c9c5", "#c62828")}
#: Everything the page may load comes from the page itself.
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")
GLYPHS = {"star": "★", "box": "▬", "dot": "●", "triangle": "▲", "diamond": "◆", "ellipse": "⬬",
          "hexagon": "⬢", "square": "■", "text": "¶"}


@functools.cache
def vis_network_js() -> str:
    """The vis-network standalone build: ``assets/vis-network.min.js`` if present, else pyvis's copy."""
    own = resources.files("chainkg.visualize") / "assets" / "vis-network.min.js"
    if own.is_file():
        return own.read_text(encoding="utf-8")
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"vis-network {VIS_VERSION} not found in pyvis ({path}); "
                                f"put vis-network.min.js into chainkg/visualize/assets/")
    return path.read_text(encoding="utf-8")


@functools.cache
def _asset(name: str) -> str:
    return (resources.files("chainkg.visualize") / "assets" / name).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    # "</script" cannot end the element early; "<\/" means the same inside JavaScript strings.
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left as such.

    >>> json_for_script({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _legend(data: dict[str, Any], lang: str) -> str:
    e = _html.escape
    counts = data["counts"]
    parts = [f'<h2>{e(i18n.text(lang, "types"))}</h2><ul class="types">']
    for t in SCHEMA.node_types:
        n = counts["types"].get(t.name)
        if not n:
            continue
        parts.append(
            f'<li><label><input type="checkbox" checked data-type="{e(t.name)}">'
            f'<span class="glyph" style="color:{e(t.color)}">{GLYPHS.get(t.shape, "●")}</span>'
            f'{e(i18n.type_label(t.name, lang))} <span class="n">{n:,}</span></label></li>'
        )
    parts.append("</ul>")
    if data["chains"]:
        parts.append(f'<h2>{e(i18n.text(lang, "chain_filter"))}</h2><select id="chain-filter">'
                     f'<option value="">{e(i18n.text(lang, "all_chains"))}</option>')
        for i, c in enumerate(data["chains"]):
            parts.append(f'<option value="{i}">{e(c["name"])}</option>')
        parts.append("</select>")
    parts.append(f'<h2>{e(i18n.text(lang, "legend"))}</h2>')
    parts.append(f'<h3>{e(i18n.text(lang, "provenance"))}</h3><ul class="prov">')
    for k, p in data["prov"].items():
        style = "solid" if not p["dashes"] else ("dashed" if p["dashes"][0] > 3 else "dotted")
        parts.append(f'<li><span class="line" style="border-top-style:{style}"></span>'
                     f'<span class="badge pv-{e(k)}">{e(p["label"])}</span> '
                     f'{e(i18n.pick(i18n.PROVENANCE_HELP, k, lang))}</li>')
    parts.append("</ul>")
    if counts["types"].get("Segment"):
        parts.append(f'<h3>{e(i18n.text(lang, "gap"))}</h3>')
        if data["gap_known"]:
            parts.append('<ul class="gap">')
            for _, g in data["gap"].items():
                parts.append(f'<li><span class="swatch" style="background:{e(g["fill"])};'
                             f'border-color:{e(g["border"])}"></span>{e(g["label"])}</li>')
            parts.append("</ul>")
        else:
            parts.append(f'<p class="note">{e(i18n.text(lang, "gap_missing_module"))}</p>')
    if counts["types"].get("Enterprise") or counts["types"].get("Project"):
        green = SCHEMA.node_type("Enterprise").color
        parts.append(f'<h3>{e(i18n.text(lang, "marks"))}</h3><ul class="marks">'
                     f'<li><span class="swatch round" style="background:{green}"></span>'
                     f'{e(i18n.text(lang, "local"))}</li>'
                     f'<li><span class="swatch round" style="background:{data["types"]["Enterprise"]["pale"]}">'
                     f'</span>{e(i18n.text(lang, "outside"))}</li>'
                     f'<li><span class="swatch round anchor" style="background:{green}"></span>'
                     f'{e(i18n.text(lang, "anchor"))}</li></ul>')
    if counts["rels"]:
        parts.append(f'<h3>{e(i18n.text(lang, "relations"))}</h3><ul class="rels">')
        for r in SCHEMA.rel_types:
            if counts["rels"].get(r.name):
                parts.append(f'<li>{e(i18n.rel_label(r.name, lang))} <span class="n">{counts["rels"][r.name]:,}'
                             f"</span></li>")
        parts.append("</ul>")
    return "".join(parts)


def _tally_html(t: dict[str, int], lang: str) -> str:
    ui = i18n.ui_strings(lang)
    parts = [("segments", ""), ("covered", "st-covered"), ("weak", "st-weak"), ("missing", "st-missing"),
             ("local", ""), ("anchors", ""), ("projects", "")]
    return " ".join(f'<span class="{c}">{_html.escape(ui["t_" + k])} <b>{t[k]:,}</b></span>' for k, c in parts)


def render_panorama(data: dict[str, Any], *, dataset: str, date: str) -> str:
    """The complete HTML page of a panorama (:func:`chainkg.visualize.panorama.build_panorama`): SVG, no vis-network."""
    e = _html.escape
    lang = data["meta"]["lang"]
    ui = data["ui"]
    data["meta"].update({"dataset": dataset, "date": date})
    home = data["meta"]["home"]
    title = data["meta"]["title"]
    sub = f'{e(dataset)} · {e(ui["generated"])} {e(date)}'
    sub += f' · {e(ui["region"])}: {e(home)}' if home else ""
    tally = _tally_html(data["tally"], lang)
    legend = "".join(f'<li><span class="swatch sw-{k}"></span>{e(v)}</li>' for k, v in data["gap"].items())
    plegend = "".join(f'<span><span class="swatch sw-{k}"></span>{e(v)}</span>' for k, v in data["gap"].items())
    plegend += f'<span>【{e(ui["anchor_tag"])}】{e(ui["anchor"])}</span>'
    statuses = "".join(f'<li><label><input type="checkbox" checked data-status="{k}"> '
                       f'<span class="swatch sw-{k}"></span>{e(v)}</label></li>' for k, v in data["gap"].items())
    bands = ""
    if len(data["bands"]) > 1:
        bands = (f'<h2>{e(ui["chain_filter"])}</h2><select id="band-filter"><option value="">{e(ui["all_chains"])}'
                 "</option>" + "".join(f'<option value="{i}">{e(b["name"])}</option>'
                                       for i, b in enumerate(data["bands"])) + "</select>")
    banner = f'<div id="banner" role="status">{e(ui["no_home"])}</div>\n' if not home else ""
    swatch_css = ("".join(f".sw-{k} {{ background: {f}; border-color: {b}; }}"
                          for k, (f, b) in PANO_SWATCH.items()))
    buttons = [("btn-fit", "fit", "F"), ("btn-reset", "reset", "0"), ("btn-in", None, "+"), ("btn-out", None, "−"),
               ("btn-png", "export_png", None), ("btn-svg", "export_svg", None), ("btn-print", "print", "Ctrl+P")]
    tools = []
    for bid, label, keyname in buttons:
        text = ui[label] if label else keyname
        tip = ui.get({"btn-in": "zoom_in", "btn-out": "zoom_out"}.get(bid, label or ""), text)
        if keyname and label:
            tip += f" ({keyname})"
        tools.append(f'<button type="button" id="{bid}" title="{e(tip)}" aria-label="{e(tip)}">{e(text)}</button>')
        if bid in ("btn-out",):
            tools.append('<span class="sep"></span>')
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="chainkg">\n',
        f"<title>{e(title)} — {e(dataset)} · {e(date)}</title>\n",
        f"<style>\n{_asset('panorama.css')}{swatch_css}\n</style>\n</head>\n<body>\n",
        f'<header><div class="titles"><h1>{e(title)}</h1><div class="sub" id="sub">{sub}</div>'
        f'<div id="tally">{tally}</div></div><div class="tools">{"".join(tools)}</div></header>\n',
        banner,
        '<main><aside id="side">',
        f'<div class="search"><input id="q" type="search" autocomplete="off" placeholder="{e(ui["search"])}"'
        f' aria-label="{e(ui["search"])}"><button id="go" type="button">{e(ui["go"])}</button></div>'
        '<ol id="results"></ol>',
        f'<h2>{e(ui["status_filter"])}</h2><ul>{statuses}</ul>' if home else "",
        bands,
        f'<h2>{e(ui["legend"])}</h2><ul>{legend if home else ""}'
        f'<li>【{e(ui["anchor_tag"])}】{e(ui["anchor"])}</li>'
        f'<li><span style="color:#1f5fa8;text-decoration:underline">{e(ui["n_outside"].format(n="N"))}</span> '
        f'{e(ui["outside_firms_of"])}</li></ul>',
        f'<p class="note">{e(ui["inspector_hint"])}</p><p class="note">{e(ui["pano_hint"])}</p>',
        '</aside><div id="stage"><svg id="pano" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' aria-label="{e(title)}"><style id="pano-style">{_asset("panorama-svg.css")}</style>'
        '<g id="vp"><g id="content"></g></g></svg><div id="colheads"></div>'
        '<aside id="insp" hidden aria-live="polite"></aside></div></main>\n',
        f'<section id="print"><h1>{e(title)}</h1><div class="psub">{sub}</div><div class="psub">{tally}</div>'
        f'<div class="plegend">{plegend}</div><div id="print-graph"></div></section>\n',
        '<noscript><p>This page needs JavaScript (it runs locally; nothing is downloaded).</p></noscript>\n',
        f'<script type="application/json" id="chainkg-data">{json_for_script(data)}</script>\n',
        f"<script>\n{_inline_script(_asset('panorama.js'))}</script>\n",
        "</body>\n</html>\n",
    ])


def render_page(view: View, *, dataset: str | None = None, date: str | None = None) -> str:
    """The complete HTML page for a laid-out view."""
    lang = view.lang
    dataset = dataset or str(view.kg.meta.get("name") or "chainkg")
    date = date or _dt.date.today().isoformat()
    data = view_payload(view, dataset=dataset, date=date)
    data["gap_known"] = view.gap is not None
    e = _html.escape
    search = e(i18n.text(lang, "search"))
    title = f"{view.title} — {dataset} · {date}"
    sub = (f'{e(dataset)} · {e(i18n.text(lang, "generated"))} {e(date)} · '
           f'{data["counts"]["nodes"]:,} {e(i18n.text(lang, "nodes"))} · '
           f'{data["counts"]["edges"]:,} {e(i18n.text(lang, "edges"))}')
    if data.get("clusters"):  # the clustered whole view opens with the groups, not the nodes
        sub = (f'{e(dataset)} · {e(i18n.text(lang, "generated"))} {e(date)} · '
               f'{len(data["clusters"]):,} {e(i18n.text(lang, "groups"))} · '
               f'{sum(c["n"] for c in view.clusters):,} {e(i18n.text(lang, "nodes"))}')
    if data["meta"]["home"]:
        sub += f' · {e(i18n.text(lang, "region"))}: {e(data["meta"]["home"])}'
    tools = []
    for bid, label, key in (("btn-fit", "fit", "F"), ("btn-reset", "reset", "0"), ("btn-in", "zoom_in", "+"),
                            ("btn-out", "zoom_out", "−")):
        tip = f"{i18n.text(lang, label)} ({key})"
        text = i18n.text(lang, label) if key.isalnum() else key
        tools.append(f'<button type="button" id="{bid}" title="{e(tip)}" aria-label="{e(tip)}">{e(text)}</button>')
    panel = ""
    if data.get("clusters"):
        panel = (f'<section id="cl-panel" hidden aria-live="polite"></section>'
                 f'<p class="note">{e(i18n.text(lang, "cl_hint"))}</p>')
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="chainkg">\n',
        f"<title>{e(title)}</title>\n<style>\n{_asset('page.css')}</style>\n</head>\n<body>\n",
        f'<header><div class="titles"><h1>{e(view.title)}</h1><div class="sub">{sub}</div></div>'
        f'<div class="tools">{"".join(tools)}</div></header>\n',
        '<main><aside id="side">',
        f'<div class="search"><input id="q" type="search" autocomplete="off" placeholder="{search}"'
        f' aria-label="{search}"><button id="go" type="button">{e(i18n.text(lang, "go"))}</button>'
        f'</div><ol id="results"></ol>',
        panel,
        _legend(data, lang),
        f'<p class="note">{e(i18n.text(lang, "hint"))}</p>',
        '</aside><div id="graph"></div><div id="tip" role="tooltip"></div></main>\n',
        '<noscript><p>This page needs JavaScript (it runs locally; nothing is downloaded).</p></noscript>\n',
        f'<script type="application/json" id="chainkg-data">{json_for_script(data)}</script>\n',
        f"<script>/* vis-network {VIS_VERSION}, Apache-2.0 OR MIT */\n{_inline_script(vis_network_js())}</script>\n",
        f"<script>\n{_inline_script(_asset('page.js'))}</script>\n",
        "</body>\n</html>\n",
    ])
