/**
 * The consumer repository's config, `.github/replay-gate.yml` (docs/gate.md). Strict: unknown keys
 * are errors. Without a config file, {@link DEFAULT_CONFIG} applies: the thresholds below and
 * no approval required. The Action reads it from the base commit so a pull request cannot
 * relax its own gate; the CLI's `diff --config` reads it from disk.
 */
import { z } from "zod";
import { POSTURES } from "./model/vocabulary.js";
import { parseYaml, validateYaml } from "./yaml.js";

/** The most `limits.max_line_bytes` may be raised to (V8 strings stop near 512 MiB). */
export const MAX_LINE_BYTES_CEILING = 256 * 1024 * 1024;

/** One path glob or a list of them. */
const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (typeof v === "string" ? [v] : v));

/**
 * Who may approve: `team:<slug>` (or `team:<org>/<slug>`) or `user:<login>`. A bot login
 * (`user:renovate[bot]`) is accepted — the config lives on the base branch, where a pull request
 * cannot fix it — and reported as never counting: bots never count as approvals.
 */
const approver = z
  .string()
  .regex(/^(team:[A-Za-z0-9][A-Za-z0-9._/-]{0,99}|user:[A-Za-z0-9][A-Za-z0-9._-]{0,99}(\[bot\])?)$/, { message: "expected team:<slug>, team:<org>/<slug>, user:<login> or user:<app>[bot]" });

/** True for a `from` entry naming a bot (`user:renovate[bot]`): it can never approve. */
export function isBotEntry(entry: string): boolean {
  return entry.startsWith("user:") && entry.endsWith("[bot]");
}

/** A duration as the gate config writes it (`90s`, `5m`). */
const duration = z.string().regex(/^[0-9]{1,12}(ms|s|m|h)$/, { message: "expected a duration like 90s or 5m" });

/** Parity thresholds, per window (docs/gate.md). */
export const thresholdsSchema = z.strictObject({
  /** Lowest B-cubed parity a window may have (0..1). */
  min_parity: z.number().min(0).max(1).default(0.95),
  /** Most head incidents, per window, that pair with no base incident. */
  max_added_incidents: z.number().int().nonnegative().default(0),
  /** Most base incidents, per window, that pair with no head incident. */
  max_removed_incidents: z.number().int().nonnegative().default(0),
  /** `required`: every window's `expect:` must hold on head; `advisory`: reported, never fails; `off`: not reported as a reason. */
  expectations: z.enum(["required", "advisory", "off"]).default("required"),
  /** Head replayed twice must give equal trace signatures. */
  determinism: z.boolean().default(true),
  /**
   * Fail closed: a policy the change adds, removes or changes must be replayed in at least this
   * many windows, and each rule it adds or changes must act in some window under base or head;
   * otherwise the verdict is `fail` ("no evidence for <policy>"), which only an owner's
   * `threshold-breach` approval can accept. 0 turns the window count off (not the rule check).
   */
  min_windows_per_changed_policy: z.number().int().nonnegative().default(1),
  /**
   * Bounds on the change's blast radius: how many scope values (over all windows) may see their
   * results differ between base and head. Unset: no bound (the blast radius is still reported).
   */
  blast_radius: z
    .strictObject({
      max_services: z.number().int().nonnegative().optional(),
      max_regions: z.number().int().nonnegative().optional(),
      max_pops: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** For Alertmanager configurations (docs/alertmanager.md): what may change in who gets paged. */
  alertmanager: z
    .strictObject({
      /** Most pages lost per window (an alert a receiver got under base and never under head). */
      max_lost_pages: z.number().int().nonnegative().default(0),
      /** Most extra notifications head may send per window; unset: unbounded. */
      max_added_notifications: z.number().int().nonnegative().optional(),
      /** Most one alert's first notification may come later than under base (`90s`, `5m`); unset: unbounded. */
      max_added_delay: duration.optional(),
    })
    .optional(),
  /** For Prometheus rule files (docs/prometheus-rules.md): what may change in the alerts that fire. */
  prometheus_rules: z
    .strictObject({
      /** Most alert episodes per window that fire under base and no longer under head. */
      max_lost_alerts: z.number().int().nonnegative().default(0),
      /** Most alert episodes per window that fire under head and not under base; unset: unbounded. */
      max_added_alerts: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** The defaults docs/gate.md documents. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  min_parity: 0.95,
  max_added_incidents: 0,
  max_removed_incidents: 0,
  expectations: "required",
  determinism: true,
  min_windows_per_changed_policy: 1,
});

/** An approval rule: by changed paths, or by kind of change. */
export const approvalRuleSchema = z
  .strictObject({
    /** Applies when the pull request changes a file matching one of these globs. */
    paths: globs.optional(),
    /** Applies to a promotion (a policy's mode goes dry-run → enforce) or a threshold breach an owner accepts. */
    when: z.enum(["promotion", "threshold-breach"]).optional(),
    /** Distinct approvals needed. */
    required: z.number().int().min(1).default(1),
    /** Who counts. */
    from: z.array(approver).min(1),
  })
  .refine((r) => (r.paths === undefined) !== (r.when === undefined), { message: "an approval rule needs exactly one of paths or when" });
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

/** `locked`: no enforce mode · `governed`: approvals apply · `open`: no gate beyond thresholds. */
export const environmentSchema = z.strictObject({
  posture: z.enum(POSTURES).default("governed"),
});

const envName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: "expected an environment name of letters, digits, '.', '_' and '-'" });

export const configSchema = z.strictObject({
  /** The current version of each policy: files, directories or `*` globs (last segment). */
  policies: globs.default(["policies/*.yaml"]),
  /** Pinned windows: window directories, directories of windows, or `*` globs (last segment). */
  windows: globs.default(["policies/windows/*"]),
  thresholds: thresholdsSchema.default(DEFAULT_THRESHOLDS),
  approvals: z.array(approvalRuleSchema).default([]),
  environments: z.record(envName, environmentSchema).default({}),
  /** Read limits for windows' events files (docs/capture.md, "Reading limits"). */
  limits: z
    .strictObject({
      /** Longest events line in bytes (default 1 MiB = 1048576). */
      max_line_bytes: z.number().int().min(1024).max(MAX_LINE_BYTES_CEILING).optional(),
    })
    .optional(),
  /** How Alertmanager configurations are replayed (docs/alertmanager.md). */
  alertmanager: z
    .strictObject({
      /** The Alertmanager release whose behaviour the simulator follows where releases differ. */
      emulate: z.enum(["0.25", "0.30", "0.32"]).default("0.25"),
    })
    .optional(),
  /** How Prometheus rule files are replayed, and the Alertmanager configuration they feed (docs/prometheus-rules.md). */
  prometheus_rules: z
    .strictObject({
      /** Prometheus' `evaluation_interval` for groups without `interval` (default 1m). */
      evaluation_interval: duration.optional(),
      /** `--rules.alert.resend-delay` (default 1m): how often a firing alert is re-sent to Alertmanager. */
      resend_delay: duration.optional(),
      /**
       * An Alertmanager configuration (a path in the repository) every rule file's alerts are sent
       * to, as Prometheus sends them; each side of a change reads it at that side's commit.
       */
      alertmanager: z.string().min(1).optional(),
    })
    .optional(),
});
export type ReplayGateConfig = z.infer<typeof configSchema>;

/** The config in effect when a repository has no `.github/replay-gate.yml`. */
export const DEFAULT_CONFIG: ReplayGateConfig = Object.freeze({
  policies: ["policies/*.yaml"],
  windows: ["policies/windows/*"],
  thresholds: DEFAULT_THRESHOLDS,
  approvals: [],
  environments: {},
});

/** Where the config lives in a consumer repository. */
export const CONFIG_PATH = ".github/replay-gate.yml";

/** Parses and validates a config file's text; empty text means all defaults. Throws located InputErrors. */
export function parseConfigText(text: string, file: string): ReplayGateConfig {
  const located = parseYaml(text, file);
  if (located.value === null || located.value === undefined) return DEFAULT_CONFIG;
  return validateYaml(located, configSchema);
}
