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

/** What a policy of another kind is called in the policy-changes lines of the comment, the text and the HTML report. */
function kindNoun(kind: KindDiff["kind"]): string {
  switch (kind) {
    case "alertmanager":
      return "Alertmanager configuration";
    case "prometheus-rules":
      return "Prometheus rule file";
  }
}

/**
 * A policy of another kind has no section-by-section diff (`semantic` is CorrelationPolicy's):
 * what changed is shown per window, under the rules or routes behind each difference.
 */
export function kindChangeSummary(kind: KindDiff["kind"]): string {
  return `${kindNoun(kind)}: its changes are shown per window, with the ${kind === "alertmanager" ? "routes and receivers" : "rules"} behind each difference`;
}
