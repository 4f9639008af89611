/** Terminal colour, opt-in. Untrusted text goes through `forTerminal` (../neutralize.ts) first. */

export interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/** ANSI colours when `color`, identity functions otherwise. */
export function paint(color: boolean): Paint {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, dim: id, green: id, red: id, yellow: id };
  }
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39) };
}
