"""HTML: one self-contained file (inline CSS, JS and SVG; no external asset,
no network). Every finding is in the page as a table row, so it reads without
JavaScript; the script only sorts, filters and searches. The filter state
lives in the URL fragment (``#q=secret&hook=no-inline-secrets``), so a link
opens the report already filtered."""
from __future__ import annotations

import base64
import hashlib
from typing import Any

from hooks.core.escaping import html as _e
from hooks.report.model import DOCS_URL, Report

CSS = """
:root{--fg:#1f2430;--muted:#5c6370;--line:#e3e6eb;--bg:#f6f7f9;--card:#fff;--open:#d1495b;--base:#9aa5b1;--ok:#2e8b57;--accent:#3b6fd8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1f2a44;color:#fff;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header p{margin:0;color:#c8d0e0;font-size:13px}
main{max-width:1200px;margin:0 auto;padding:20px 32px 48px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:17px;margin:0 0 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card b{display:block;font-size:28px;line-height:1.2}
.card span{color:var(--muted);font-size:13px}
.card.open b{color:var(--open)}.card.fixed b{color:var(--ok)}
.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;align-items:start}
.grid section{margin:0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
td.note{color:var(--muted);font-size:13px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.bar{height:10px;border-radius:5px;background:#eef0f3;min-width:40px}
.folders td:first-child{width:30%}.folders td.barcell{width:50%}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:10px}
.controls input,.controls select{font:inherit;padding:6px 10px;border:1px solid #c9ced6;border-radius:6px;background:#fff}
.controls input{flex:1;min-width:220px}
#shown{color:var(--muted);font-size:13px;margin-left:auto}
#findings th{cursor:pointer;user-select:none;white-space:nowrap}
#findings th[aria-sort=ascending]::after{content:" \\25B2"}#findings th[aria-sort=descending]::after{content:" \\25BC"}
#findings tr:hover td{background:#f9fafb}
#findings td:first-child{white-space:nowrap}#findings td.path{min-width:14em}
.tag{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;white-space:nowrap}
.tag.open{background:#fbe3e6;color:#9b1c2c}.tag.baselined{background:#eceff3;color:#4a5360}
.muted{color:var(--muted)}
svg text{font:12px system-ui,sans-serif;fill:#5c6370}
.legend{font-size:13px;color:var(--muted)}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 12px}
.bar{display:block;width:100%}.bar .o{fill:var(--open)}.bar .b{fill:var(--base)}
#chart{max-width:440px}.mt{margin-top:16px}.mt8{margin-top:8px}
.legend i.o{background:#d1495b}.legend i.t{background:#9aa5b1}
@media (max-width:900px){.grid{grid-template-columns:1fr}main{padding:12px}}
"""

SCRIPT = """
(function(){
  var table=document.getElementById('findings'); if(!table) return;
  var body=table.tBodies[0], rows=Array.prototype.slice.call(body.rows);
  rows.forEach(function(r){r._text=r.textContent.toLowerCase();});  // once: thousands of rows filter as you type
  var q=document.getElementById('q'), hook=document.getElementById('hook'),
      folder=document.getElementById('folder'), status=document.getElementById('status'),
      shown=document.getElementById('shown');
  function readHash(){
    var p=new URLSearchParams(location.hash.replace(/^#/,''));
    q.value=p.get('q')||''; hook.value=p.get('hook')||''; folder.value=p.get('folder')||''; status.value=p.get('status')||'';
  }
  function writeHash(){
    var p=new URLSearchParams();
    if(q.value) p.set('q',q.value); if(hook.value) p.set('hook',hook.value);
    if(folder.value) p.set('folder',folder.value); if(status.value) p.set('status',status.value);
    var h=p.toString(); history.replaceState(null,'',h?'#'+h:location.pathname+location.search);
  }
  function apply(){
    var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean), n=0;
    rows.forEach(function(r){
      var text=r._text;
      var ok=(!hook.value||r.dataset.hook===hook.value)&&(!folder.value||r.dataset.folder===folder.value)
        &&(!status.value||r.dataset.status===status.value)
        &&words.every(function(w){return text.indexOf(w)>=0;});
      r.hidden=!ok; if(ok) n++;
    });
    shown.textContent='Showing '+n+' of '+rows.length;
    shown.dataset.count=n;
  }
  [q,hook,folder,status].forEach(function(el){el.addEventListener('input',function(){apply();writeHash();});});
  window.addEventListener('hashchange',function(){readHash();apply();});
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    th.tabIndex=0;
    function sort(){
      var dir=th.getAttribute('aria-sort')==='ascending'?-1:1, num=th.classList.contains('n');
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir>0?'ascending':'descending');
      rows.sort(function(a,b){
        var x=a.cells[i].textContent, y=b.cells[i].textContent;
        return dir*(num?(parseFloat(x)-parseFloat(y)):x.localeCompare(y));
      });
      rows.forEach(function(r){body.appendChild(r);});
    }
    th.addEventListener('click',sort);
    th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});
  });
  readHash(); apply();
})();
"""


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# The page's own style and script, allowed by their hashes: no inline style
# attribute, no event handler and no other script can run, even if a value
# ever reached the page unescaped. Widths and colours are SVG attributes.
CSP = (
    f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(SCRIPT)}; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _num(value: Any) -> float:
    """A count for arithmetic; anything else counts as 0 (the schema has already refused it)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _bar(open_: Any, baselined: Any, top: Any) -> str:
    peak = max(_num(top), 1.0)
    o = 100 * _num(open_) / peak
    b = 100 * _num(baselined) / peak
    return (
        f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{_e(open_)} open, {_e(baselined)} baselined">'
        f'<rect class="o" x="0" y="0" height="10" width="{o:.1f}"/>'
        f'<rect class="b" x="{o:.1f}" y="0" height="10" width="{b:.1f}"/></svg>'
    )


def chart(runs: list[dict[str, Any]], width: int = 440, height: int = 190) -> str:
    """The progress chart over past runs: open and open+baselined, inline SVG."""
    if not runs:
        return ""
    left, right, top, bottom = 36, 36, 12, 28
    peak = max(max(_num(r.get("open")) + _num(r.get("baselined")) for r in runs), 1.0)
    span = max(len(runs) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / span if len(runs) > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / peak)

    parts = [
        f'<svg id="chart" role="img" aria-label="findings over {len(runs)} run(s)" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for frac in (0, 0.5, 1):
        tick = round(peak * frac)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e3e6eb"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_e(tick)}</text>'
        )
    for key, colour in (("total", "#9aa5b1"), ("open", "#d1495b")):
        values = [
            _num(r.get("open")) + _num(r.get("baselined")) if key == "total" else _num(r.get("open")) for r in runs
        ]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{points}"/>')
        for i, v in enumerate(values):
            run = runs[i]
            label = f"{str(run.get('date') or '')[:10]} {str(run.get('commit') or '')[:8]}: {v:g} {key}"
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"><title>{_e(label)}</title></circle>'
            )
    step = max(1, len(runs) // 6)
    labelled = sorted({*range(0, len(runs), step), len(runs) - 1})
    for i in labelled:
        if i != len(runs) - 1 and len(runs) - 1 - i < step / 2:
            continue  # too close to the last run's label
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle">{_e(str(runs[i].get("date") or "")[:10])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _since_row(label: str, s: dict[str, Any] | None) -> str:
    if not s:
        return ""
    ref = f"{str(s.get('date') or '')[:10]} {str(s.get('commit') or '')[:8]}".strip()
    return (
        f'<tr><td>since {_e(label)} <span class="muted">{_e(ref)}</span></td><td class="n">{_e(s.get("fixed"))}</td>'
        f'<td class="n">{_e(s.get("new"))}</td><td class="n">{_e(s.get("still_open"))}</td></tr>'
    )


def render(report: Report) -> str:
    totals = report["totals"]
    repos = report["repos"]
    names = ", ".join(str(r["name"]) for r in repos) if len(repos) < 6 else f"{len(repos)} repos"
    progress = report.get("progress") or {}
    prev = progress.get("since_previous")
    out: list[str] = [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        f"<title>Legacy config report: {_e(names)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>Legacy config report: {_e(names)}</h1>"
        f"<p>Generated {_e(report['generated'])} by legacy-config-hooks {_e(report['tool']['version'])} · "
        + _e("; ".join(f"{r['name']} {str(r.get('commit') or 'no commit')[:8]}" for r in repos[:6]))
        + "</p></header><main>",
        '<div class="cards" id="summary-cards">'
        f'<div class="card open"><b>{_e(totals["open"])}</b><span>open findings</span></div>'
        f'<div class="card"><b>{_e(totals["baselined"])}</b><span>baselined</span></div>'
        f'<div class="card"><b>{_e(totals["files_with_findings"])}</b><span>files with findings</span></div>',
    ]
    if prev:
        out.append(
            f'<div class="card fixed"><b>{_e(prev.get("fixed"))}</b><span>fixed since the previous run</span></div>'
            f'<div class="card"><b>{_e(prev.get("new"))}</b><span>new since the previous run</span></div>'
        )
    out.append("</div>")
    # Summary per check, and progress.
    out.append('<div class="grid mt"><section id="summary"><h2>Summary by check</h2><table>')
    out.append(
        '<thead><tr><th>check</th><th class="n">open</th><th class="n">baselined</th>'
        '<th class="n">files checked</th><th>could not check</th></tr></thead><tbody>'
    )
    for h in report["hooks"]:
        checked = "repo" if h["files_checked"] is None else h["files_checked"]
        notes = "<br>".join(_e(n) for n in h["notices"][:5]) + (" …" if len(h["notices"]) > 5 else "")
        out.append(
            f'<tr><td><a href="{_e(DOCS_URL.format(h["id"]))}" title="{_e(h["summary"])}">{_e(h["id"])}</a></td>'
            f'<td class="n">{_e(h["open"])}</td><td class="n">{_e(h["baselined"])}</td><td class="n">{_e(checked)}</td>'
            f'<td class="note">{notes}</td></tr>'
        )
    out.append(
        f'<tr><td><b>total</b></td><td class="n"><b>{_e(totals["open"])}</b></td>'
        f'<td class="n"><b>{_e(totals["baselined"])}</b></td><td></td><td></td></tr></tbody></table></section>'
    )
    out.append('<section id="progress"><h2>Progress</h2>')
    runs = progress.get("runs") or []
    if runs:
        out.append(chart(runs))
        out.append(
            '<div class="legend"><i class="o"></i>open<i class="t"></i>open + baselined</div>'
        )
    if prev or progress.get("since_first"):
        out.append(
            '<table class="mt8"><thead><tr><th></th><th class="n">fixed</th><th class="n">new</th>'
            '<th class="n">still open</th></tr></thead><tbody>'
            + _since_row("the previous run", prev)
            + _since_row("the first run", progress.get("since_first"))
            + "</tbody></table>"
        )
    elif runs:
        out.append('<p class="muted">The first recorded run: progress shows from the next one.</p>')
    else:
        out.append('<p class="muted">No history recorded (run with <code>--history FILE</code>).</p>')
    out.append("</section></div>")
    # Folders and worst files.
    out.append('<div class="grid mt"><section id="folders"><h2>By folder</h2>')
    if report["folders"]:
        top = max(_num(r["open"]) + _num(r["baselined"]) for r in report["folders"])
        out.append('<table class="folders"><tbody>')
        for row in report["folders"]:
            out.append(
                f'<tr><td class="path">{_e(row["name"])}</td><td class="barcell">{_bar(row["open"], row["baselined"], top)}</td>'
                f'<td class="n">{_e(row["open"])}</td><td class="n muted">{_e(row["baselined"])}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">No findings.</p>')
    out.append(f'</section><section id="worst"><h2>The {_e(len(report["worst_files"]))} worst files</h2>')
    if report["worst_files"]:
        out.append('<table><thead><tr><th>file</th><th class="n">open</th><th class="n">baselined</th></tr></thead><tbody>')
        for row in report["worst_files"]:
            out.append(
                f'<tr><td class="path">{_e(row["path"])}</td><td class="n">{_e(row["open"])}</td>'
                f'<td class="n">{_e(row["baselined"])}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</section></div>")
    # Findings.
    findings = report["findings"]
    hooks = sorted({str(f["hook"]) for f in findings})
    folders = sorted({str(f["folder"]) for f in findings})
    out.append('<section id="findings-section"><h2>Findings</h2><div class="controls">')
    out.append('<input id="q" type="search" placeholder="Search files, messages, checks…" aria-label="search">')
    out.append('<select id="hook" aria-label="check"><option value="">every check</option>')
    out.extend(f'<option value="{_e(h)}">{_e(h)}</option>' for h in hooks)
    out.append('</select><select id="folder" aria-label="folder"><option value="">every folder</option>')
    out.extend(f'<option value="{_e(d)}">{_e(d)}</option>' for d in folders)
    out.append(
        '</select><select id="status" aria-label="status"><option value="">open and baselined</option>'
        '<option value="open">open</option><option value="baselined">baselined</option></select>'
        f'<span id="shown" data-count="{_e(len(findings))}">{_e(len(findings))} findings</span></div>'
    )
    out.append(
        '<table id="findings"><thead><tr><th>check</th><th>file</th><th class="n">line</th>'
        "<th>message</th><th>status</th></tr></thead><tbody>"
    )
    for f in findings:
        out.append(
            f'<tr data-hook="{_e(f["hook"])}" data-folder="{_e(f["folder"])}" data-status="{_e(f["status"])}" '
            f'data-fingerprint="{_e(f["fingerprint"])}">'
            f'<td>{_e(f["hook"])}</td><td class="path">{_e(f["path"])}</td><td class="n">{_e(f["line"])}</td>'
            f'<td>{_e(f["message"])}</td><td><span class="tag {_e(f["status"])}">{_e(f["status"])}</span></td></tr>'
        )
    out.append("</tbody></table>")
    if not findings:
        out.append('<p class="muted">No findings.</p>')
    out.append(f"</section></main><script>{SCRIPT}</script></body></html>\n")
    return "".join(out)
