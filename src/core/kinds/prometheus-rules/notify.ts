/**
 * How Prometheus sends alerts to Alertmanager (rules/alerting.go `sendAlerts`, `needsSending`;
 * cmd/prometheus/main.go `sendAlerts`), in one place for the rule evaluator's chain into an
 * Alertmanager configuration and for the capture adapter that derives alert streams from the
 * `ALERTS` series. After each evaluation of an alerting rule every alert it still holds —
 * firing, or resolved less than {@link RESOLVED_RETENTION_MS} ago — is sent when it resolved
 * since the last send or when the last send is more than `resend_delay` old; pending alerts
 * never are. `startsAt` is when the alert fired; `endsAt` is when it resolved, or else
 * `t + 4 × max(evaluation interval, resend_delay)` so two missed evaluations or sends are tolerated.
 */

/** `--rules.alert.resend-delay`'s default. */
export const DEFAULT_RESEND_DELAY_MS = 60_000;

/** How long a resolved alert is kept, and sent, after it resolved (`resolvedRetention`, fixed). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** A firing alert's `endsAt` lies this many times `max(interval, resend_delay)` past the send. */
export const VALID_FOR_INTERVALS = 4;

/** What `needsSending` reads of an alert held by a rule. */
export interface SendState {
  readonly state: "pending" | "firing" | "inactive";
  /** ms; null while active. */
  readonly resolvedAt: number | null;
  /** ms; null before the first send. */
  readonly lastSentAt: number | null;
}

/** True when Prometheus sends the alert after the evaluation at `t` (strictly later than `resend_delay` after the last send). */
export function needsSending(a: SendState, t: number, resendDelayMs: number): boolean {
  if (a.state === "pending") return false;
  if (a.lastSentAt === null) return true;
  if (a.resolvedAt !== null && a.resolvedAt > a.lastSentAt) return true;
  return a.lastSentAt + resendDelayMs < t;
}

/** A firing alert's `endsAt` when sent at `t`. */
export function firingEndsAt(t: number, intervalMs: number, resendDelayMs: number): number {
  return t + VALID_FOR_INTERVALS * Math.max(intervalMs, resendDelayMs);
}

/** True while a resolved alert is still held (and sent): Prometheus drops it once more than the retention has passed. */
export function stillRetained(resolvedAt: number, t: number): boolean {
  return t - resolvedAt <= RESOLVED_RETENTION_MS;
}
