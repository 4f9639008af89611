/**
 * The Action's log lines. Every message goes through {@link forTerminal}: messages quote
 * directory names, window ids, API error text and carried files, and a newline or `::` in any of
 * them must not start a workflow command (`::add-mask::`, `::stop-commands::`, `::error::`) or an
 * escape sequence in the runner's log. Nothing in src/action calls `core.info` and its siblings
 * directly (a test checks it).
 */
import * as core from "@actions/core";
import { forTerminal } from "../core/neutralize.js";

/** Each line of `text` neutralised on its own, so a stack trace stays readable. */
function lines(text: string): string {
  return text.split("\n").map(forTerminal).join("\n");
}

export const log = {
  info: (message: string): void => core.info(forTerminal(message)),
  notice: (message: string, properties?: core.AnnotationProperties): void => core.notice(forTerminal(message), properties),
  warning: (message: string): void => core.warning(forTerminal(message)),
  /** An error annotation (the step goes on; {@link log.setFailed} fails it). */
  error: (message: string, properties?: core.AnnotationProperties): void => core.error(forTerminal(message), properties),
  debug: (message: string): void => core.debug(lines(message)),
  /** Fails the step; a multi-line message (one problem per line) keeps its lines. */
  setFailed: (message: string): void => core.setFailed(lines(message)),
} as const;
