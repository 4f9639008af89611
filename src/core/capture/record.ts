/**
 * What an ingest adapter hands to capture: one source record, already timed and classified,
 * whose source fields are read on demand. The mapping file (./mapping.ts) then decides the
 * event's scope, source and attrs from those fields.
 */
import type { AttrValue, Severity, Signal } from "../event.js";

/** A record's source fields, read by name. Lookups are lazy so unused columns cost nothing. */
export interface FieldSource {
  /** The field's value, or undefined when the source left it unset. */
  get(name: string): AttrValue | undefined;
  /** Every field name this record may have (for `*` globs in the mapping's attrs lists). */
  names(): readonly string[];
}

/** One record a source produced, before mapping. */
export interface CaptureRecord {
  /** Integer milliseconds UTC. */
  readonly ts: number;
  readonly signal: Signal;
  readonly name: string;
  readonly value?: number | undefined;
  readonly severity?: Severity | undefined;
  /** The emitting device or agent, when the format says; the mapping may override it. */
  readonly source?: string | undefined;
  readonly fields: FieldSource;
  /** Field names kept in `attrs` when the mapping does not say (`*` globs allowed). */
  readonly defaultAttrs: readonly string[];
  /** An alert's label set, kept whole on the event (alert windows for Alertmanager replays). */
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
  /** An alert's `startsAt` / `endsAt` when the sender gave them, ms UTC. */
  readonly starts_at?: number | undefined;
  readonly ends_at?: number | undefined;
}

/** Fields backed by a null-prototype object built by the adapter. */
export function objectFields(values: Readonly<Record<string, AttrValue | undefined>>): FieldSource {
  return {
    get: (name) => (Object.hasOwn(values, name) ? values[name] : undefined),
    names: () => Object.keys(values).filter((k) => values[k] !== undefined),
  };
}

/**
 * An alert's fields (Alertmanager's webhook and POST shapes): what the adapter computed first,
 * then `annotations.<name>`, then the labels; `names` lists what `*` globs may expand to.
 */
export function alertFields(
  computed: Readonly<Record<string, AttrValue | undefined>>,
  labels: Readonly<Record<string, string>>,
  annotations: Readonly<Record<string, string>>,
  names: () => readonly string[],
): FieldSource {
  return {
    get: (n) => {
      if (Object.hasOwn(computed, n)) return computed[n];
      if (n.startsWith("annotations.")) {
        const k = n.slice(12);
        return Object.hasOwn(annotations, k) ? annotations[k] : undefined;
      }
      return Object.hasOwn(labels, n) ? labels[n] : undefined;
    },
    names,
  };
}

/** A null-prototype record: keys from input can never reach Object.prototype. */
export function nullRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
