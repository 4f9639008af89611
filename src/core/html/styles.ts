/** The report's one stylesheet, inline (the CSP allows inline styles and nothing else). */
export const REPORT_CSS = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--card:#f6f8fa;--line:#d0d7de;--pass:#1a7f37;--fail:#cf222e;--pending:#9a6700;--base:#57606a;--head:#0969da}
*{box-sizing:border-box}
body{margin:0;padding:24px;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted);fill:var(--muted)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
header.verdict{display:flex;gap:16px;align-items:center;padding:16px;border-radius:8px;border:1px solid var(--line);background:var(--card)}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff;text-transform:uppercase;font-size:12px;letter-spacing:.04em}
.badge.big{font-size:20px;padding:6px 16px;border-radius:8px}
.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-pending{background:var(--pending)}
.s-identical{background:var(--pass)}.s-changed{background:var(--pending)}.s-added,.s-removed{background:#8250df}
.stats{display:flex;flex-wrap:wrap;gap:18px}.stat b{display:block;font-size:18px}
.card{border:1px solid var(--line);border-radius:8px;padding:16px;margin:16px 0;background:var(--bg)}
.card>h3:first-child{margin-top:0}
table{border-collapse:collapse;margin:6px 0 10px}th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
ul.reasons li.fail{color:var(--fail)}
.timeline-wrap{overflow-x:auto}
svg.timeline{font:11px -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;background:#fff}
svg .axis line{stroke:#8c959f}svg .axis line.grid{stroke:#eaeef2}svg .axis text{fill:#57606a}
svg .lane{stroke:#eaeef2}svg .lane-label{fill:#57606a}svg .side-label{font-weight:700;font-size:12px;text-transform:uppercase}
svg .side-base .side-label{fill:var(--base)}svg .side-head .side-label{fill:var(--head)}
svg .density{stroke:none}svg .density.suppressed{fill:#afb8c1;opacity:.75}
svg .sig-flow{fill:#54aeff}svg .sig-bgp{fill:#bf8700}svg .sig-dns{fill:#8250df}svg .sig-metric{fill:#2da44e}svg .sig-alert{fill:#cf222e}svg .sig-log{fill:#6e7781}
svg .group{fill:#0969da;opacity:.8}svg .group.alone{fill:#fff;stroke:#0969da;stroke-dasharray:2 1}
svg .incident rect{stroke-width:1.5}svg .incident text{fill:#fff;font-weight:600}
svg .kind-unchanged rect{fill:#57606a;stroke:#424a53}svg .kind-changed rect{fill:#bf8700;stroke:#9a6700}
svg .kind-added rect{fill:#1a7f37;stroke:#116329}svg .kind-removed rect{fill:#cf222e;stroke:#a40e26}svg .kind-regrouped rect{fill:#8250df;stroke:#6639ba}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:-1px;border-radius:2px}
details{margin:6px 0}summary{cursor:pointer}
pre{background:var(--card);padding:8px;overflow-x:auto;border-radius:6px}
footer{margin-top:28px;color:var(--muted);font-size:12px}
`;
