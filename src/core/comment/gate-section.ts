/**
 * Markdown of the gate section of the comment and the job summary (approvals, posture, config
 * origin). Logins are written without `@`, so the comment pings nobody.
 */
import { isBotEntry } from "../config.js";
import type { GateResult, RequirementResult } from "../approvals/types.js";
import { forMarkdown } from "../neutralize.js";
import { appendAll } from "../arrays.js";

function renderRequirement(r: RequirementResult): string[] {
  const state = r.waived !== null ? `waived: ${r.waived}` : r.satisfied ? "met" : "missing";
  const lines = [`#### ${r.satisfied ? "✅" : "⏳"} \`${r.id}\` — ${r.counted.length}/${r.required} (${state})`, ""];
  lines.push(`- because: ${r.because.map(forMarkdown).join(", ")}`);
  lines.push(`- from: ${r.from.map((f) => `\`${f}\``).join(", ")}`);
  const bots = r.from.filter(isBotEntry);
  if (bots.length > 0)
    lines.push(`- ${bots.map((f) => `\`${f}\``).join(", ")}: bots never count as approvals (remove ${bots.length === 1 ? "it" : "them"} from \`from:\` in the config on the base branch)`);
  if (r.counted.length > 0)
    lines.push(`- counted: ${r.counted.map((c) => `${forMarkdown(c.login)} (${c.via}${c.carried_over ? `, approved \`${(c.commit ?? "").slice(0, 7)}\` with unchanged evidence` : ""})`).join(", ")}`);
  for (const refusal of r.refused) lines.push(`- not counted: ${forMarkdown(refusal.login)} — ${forMarkdown(refusal.reason)}`);
  if (r.can_still_approve.length > 0) lines.push(`- can still approve: ${r.can_still_approve.map((f) => `\`${f}\``).join(", ")}`);
  lines.push("");
  return lines;
}

/** The gate section of the comment and the job summary (already neutral: built from config and logins). */
export function renderGateMarkdown(
  gate: GateResult,
  context: {
    readonly baseSha: string | undefined;
    readonly headSha: string;
    readonly blastRadius?: { readonly service: readonly string[]; readonly region: readonly string[]; readonly pop: readonly string[] } | undefined;
  },
): string {
  const lines: string[] = ["### Gate", ""];
  for (const reason of gate.reasons) lines.push(`- **${reason.code}**: ${forMarkdown(reason.message)}`);
  if (gate.reasons.length > 0) lines.push("");
  const origin = gate.config.file === null ? "built-in defaults (no `.github/replay-gate.yml` at the base commit)" : forMarkdown(gate.config.file);
  lines.push(`- config: ${origin}, read from the base commit${context.baseSha ? ` \`${context.baseSha.slice(0, 7)}\`` : ""}`);
  lines.push(`- evaluated head: \`${context.headSha.slice(0, 7)}\` · evidence digest \`${gate.evidence.head_digest.slice(0, 19)}…\``);
  lines.push(`- thresholds: ${gate.thresholds}${gate.reasons.some((r) => r.code === "breach-accepted") ? " (breach accepted by an owner)" : ""}`);
  const radius = context.blastRadius;
  if (radius !== undefined) {
    const parts = (["service", "region", "pop"] as const).filter((k) => radius[k].length > 0).map((k) => `${k} ${radius[k].map(forMarkdown).join(", ")}`);
    lines.push(`- blast radius (scope values whose results differ): ${parts.length === 0 ? "none" : parts.join("; ")}`);
  }
  if (gate.posture.length > 0) lines.push(`- posture: ${gate.posture.map((p) => `${forMarkdown(p.environment)} ${p.posture} (${p.policies.map(forMarkdown).join(", ")})`).join("; ")}`);
  lines.push("");
  if (gate.requirements.length > 0) {
    lines.push("### Approvals", "");
    for (const r of gate.requirements) appendAll(lines, renderRequirement(r));
  }
  return lines.join("\n");
}
