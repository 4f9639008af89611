import { forTerminal } from "../core/neutralize.js";

/** Prints `warning: <message>` on stderr, the message neutralised (it names directories and keys from files). */
export function warner(io: CliIo): (message: string) => void {
  return (message) => io.stderr(`warning: ${forTerminal(message)}\n`);
}

/** What the CLI needs from its process, passed in so tests can run `main` in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: progress is shown only then. */
  readonly stderrIsTTY: boolean;
  /** True when stdout is a terminal: colour is used only then (and without NO_COLOR). */
  readonly stdoutIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour on a TTY unless NO_COLOR is set (https://no-color.org) or FORCE_COLOR asks for it. */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return io.stdoutIsTTY;
}

/** A progress printer that writes only to a terminal, overwriting one line. */
export function progress(io: CliIo): { update: (text: string) => void; done: () => void } {
  if (!io.stderrIsTTY) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update: (text) => {
      shown = true;
      io.stderr(`\r\u001b[2K${forTerminal(text)}`);
    },
    done: () => {
      if (shown) io.stderr("\r\u001b[2K");
      shown = false;
    },
  };
}
