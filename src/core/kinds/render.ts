/** The kind-specific part of a window in the PR comment and the terminal report, by kind. */
import type { KindDiff } from "./diff-schema.js";
import { renderAmWindowMarkdown, renderAmWindowText } from "./alertmanager/diff-render.js";
import { renderRulesWindowMarkdown, renderRulesWindowText } from "./prometheus-rules/diff-render.js";

/** Markdown that leads the window's block in the comment. */
export function renderKindDiffMarkdown(d: KindDiff): string {
  switch (d.kind) {
    case "alertmanager":
      return renderAmWindowMarkdown(d);
    case "prometheus-rules":
      return renderRulesWindowMarkdown(d);
  }
}

/** Terminal lines under the window's heading. */
export function renderKindDiffText(d: KindDiff): string[] {
  switch (d.kind) {
    case "alertmanager":
      return renderAmWindowText(d);
    case "prometheus-rules":
      return renderRulesWindowText(d);
  }
}
