/** A report whose every free-text field tries to break out of the HTML. */
import type { Report } from "../../../src/core/report/report-schema.js";

export function hostile(report: Report): Report {
  const r = JSON.parse(JSON.stringify(report)) as Report;
  const w = r.windows[0]!;
  w.title = "<script>alert('title')</script>";
  w.id = `"><svg onload=alert(1)>`;
  w.dir = "javascript:alert(1)";
  w.policy = '<a href="javascript:alert(1)">click</a>';
  for (const side of ["base", "head"] as const) {
    for (const i of w.incidents[side]) {
      i.title = "<img src=x onerror=alert(1)>";
      i.rules = ["</text><script>alert(2)</script>"];
    }
  }
  w.highlights = [{ kind: "collapse", rule: null, text: '<a href="javascript:alert(1)">see</a>', base: null, head: null }];
  r.evaluation.reasons = [{ code: "parity-below-min", window: w.id, policy: null, message: "<iframe src=javascript:alert(3)>", value: null, limit: null }];
  return r;
}
