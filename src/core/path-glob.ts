/**
 * Repository path globs: the one matcher for every path pattern a user writes, so the Action's
 * gate, `replay --mode enforce` and the spec resolvers judge a pattern alike. It serves
 * `approvals[].paths` (`policies/prod/**`) and the last segment of `policies:` / `windows:` specs
 * in the config and on the command line (`policies/windows/*`, `policies/edge-?w.yaml`).
 *
 * Syntax: `**` as a whole segment spans any number of segments (none included); `*` any run of
 * characters inside one segment; `?` exactly one character inside a segment; anything else is
 * literal. A glob and a path are normalised alike: `.` segments (so a leading `./`) and empty
 * segments (`a//b`, a trailing `/`) are dropped.
 *
 * No regular expressions: patterns come from configs in pull requests, so matching must stay
 * polynomial whatever they hold. A segment matches in O(|pattern| × |name|) at worst, a path in
 * O(|glob segments| × |path segments|) segment matches, without recursion.
 */

/** True when `text` holds a glob wildcard (`*` or `?`), i.e. names a pattern rather than a path. */
export function isGlob(text: string): boolean {
  return text.includes("*") || text.includes("?");
}

/** True when one path segment `name` matches the segment pattern `pattern` (`*`, `?`, literals). */
export function matchSegmentGlob(pattern: string, name: string): boolean {
  // Greedy match that remembers only the last `*`: a later star supersedes an earlier one, so
  // each text position is retried at most once per star and nothing backtracks exponentially.
  let p = 0,
    t = 0,
    star = -1,
    mark = 0;
  while (t < name.length) {
    if (p < pattern.length && (pattern[p] === "?" || (pattern[p] !== "*" && pattern[p] === name[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** The segments of a repository path or glob, without `.` and empty segments. */
export function pathSegments(path: string): string[] {
  return path.split("/").filter((seg) => seg !== "" && seg !== ".");
}

/** True when the repository-relative `path` matches `glob` (see the module comment for the syntax). */
export function matchPathGlob(glob: string, path: string): boolean {
  const g = pathSegments(glob),
    p = pathSegments(path);
  // reach[j]: the glob's first i segments match the path's first j segments.
  let reach = new Array<boolean>(p.length + 1).fill(false);
  reach[0] = true;
  for (const seg of g) {
    const next = new Array<boolean>(p.length + 1).fill(false);
    if (seg === "**") {
      let any = false;
      for (let j = 0; j <= p.length; j++) next[j] = any = any || reach[j]!;
    } else {
      for (let j = 0; j < p.length; j++) if (reach[j] && matchSegmentGlob(seg, p[j]!)) next[j + 1] = true;
    }
    reach = next;
  }
  return reach[p.length]!;
}

/** True when `path` matches any of the globs. */
export function matchesAny(globs: readonly string[], path: string): boolean {
  return globs.some((g) => matchPathGlob(g, path));
}

/**
 * True when `path` lies inside the window directories a `windows:` spec names
 * (`policies/windows/*` → anything under `policies/windows/<name>/`; a plain directory → under it).
 */
export function isUnderWindowSpec(spec: string, path: string): boolean {
  return matchPathGlob(`${spec}/**`, path);
}
