#!/usr/bin/env python3
"""Renders the Grafana dashboard's panels as one HTML page, from a live Prometheus, without Grafana.

Grafana cannot be installed on the build machines (not in Debian, npm or NuGet), so this draws every panel of
grafana/dashboards/shop-overview.json the honest way: the same PromQL, run by Prometheus's query_range API over
the last minutes, drawn as plain SVG line charts. Standard library only.

  render_dashboard.py --prometheus http://127.0.0.1:9090 --minutes 5 --out dashboard.html
"""
import argparse, html, json, math, os, time, urllib.parse, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#b877d9", "#f2495c", "#8ab8ff", "#fade2a"]
W, H, PAD_L, PAD_B, PAD_T = 440, 190, 54, 22, 8


def query_range(prom, expr, start, end, step):
    url = f"{prom}/api/v1/query_range?" + urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    return body["data"]["result"]


def legend(fmt, labels):
    out = fmt
    for k, v in labels.items():
        out = out.replace("{{" + k + "}}", v)
    return out if "{{" not in out else json.dumps(labels)


def fmt_value(v, unit):
    if unit == "s":
        return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.1f} s"
    if unit == "ms":
        return f"{v:.0f} ms"
    if unit == "reqps":
        return f"{v:.2f}/s"
    return f"{v:.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.2f}"


def chart(series, unit, start, end):
    values = [v for s in series for _, v in s["points"]]
    top = max(values) if values else 1
    top = top * 1.15 if top > 0 else 1
    x = lambda t: PAD_L + (t - start) / (end - start) * (W - PAD_L - 6)
    y = lambda v: PAD_T + (1 - v / top) * (H - PAD_T - PAD_B)
    parts = [f'<svg width="{W}" height="{H}" xmlns="http://www.w3.org/2000/svg">']
    for i in range(5):
        v = top * i / 4
        parts.append(f'<line x1="{PAD_L}" x2="{W - 6}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#2c3235"/>')
        parts.append(f'<text x="{PAD_L - 4}" y="{y(v) + 4:.1f}" fill="#9fa7b3" font-size="10" text-anchor="end">{html.escape(fmt_value(v, unit))}</text>')
    for i in range(4):
        t = start + (end - start) * i / 3
        parts.append(f'<text x="{x(t):.1f}" y="{H - 6}" fill="#9fa7b3" font-size="10" text-anchor="middle">{time.strftime("%H:%M:%S", time.gmtime(t))}</text>')
    for n, s in enumerate(series):
        pts = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in s["points"])
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{COLORS[n % len(COLORS)]}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--dashboard", default=os.path.join(HERE, "grafana", "dashboards", "shop-overview.json"))
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--subtitle", default="")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    dash = json.load(open(a.dashboard))
    end = time.time()
    start = end - a.minutes * 60
    step = max(1, int((end - start) / 150))
    cells = []
    for panel in dash["panels"]:
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "short")
        series = []
        for target in panel["targets"]:
            for r in query_range(a.prometheus, target["expr"], start, end, step):
                pts = [(float(t), float(v)) for t, v in r["values"] if not math.isnan(float(v)) and not math.isinf(float(v))]
                if pts:
                    series.append({"name": legend(target.get("legendFormat", ""), r["metric"]), "points": pts})
        keys = "".join(
            f'<span><i style="background:{COLORS[n % len(COLORS)]}"></i>{html.escape(s["name"])} '
            f'<b>{html.escape(fmt_value(s["points"][-1][1], unit))}</b></span>' for n, s in enumerate(series))
        body = chart(series, unit, start, end) if series else '<div class="empty">no data</div>'
        exprs = "<br>".join(html.escape(t["expr"]) for t in panel["targets"])
        cells.append(f'<div class="panel"><h3>{html.escape(panel["title"])}</h3>{body}<div class="keys">{keys}</div>'
                     f'<div class="expr">{exprs}</div></div>')
    page = f"""<!doctype html><meta charset="utf-8"><title>{html.escape(dash['title'])}</title>
<style>
body{{background:#111217;color:#d8d9da;font:13px system-ui,sans-serif;margin:14px;width:1380px}}
h1{{font-size:18px;margin:0 0 2px}} .sub{{color:#9fa7b3;margin-bottom:12px}}
.grid{{display:grid;grid-template-columns:repeat(3,456px);gap:8px}}
.panel{{background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:6px 8px}}
h3{{font-size:13px;margin:0 0 4px;font-weight:600}} .keys span{{margin-right:10px;white-space:nowrap}}
.keys i{{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}}
.expr{{color:#6e7580;font:10px monospace;margin-top:4px;word-break:break-all}} .empty{{height:{H}px;color:#6e7580}}
</style>
<h1>{html.escape(dash['title'])}</h1>
<div class="sub">{html.escape(a.subtitle)} — last {a.minutes:g} min to {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(end))}</div>
<div class="grid">{''.join(cells)}</div>"""
    with open(a.out, "w") as f:
        f.write(page)


if __name__ == "__main__":
    main()
