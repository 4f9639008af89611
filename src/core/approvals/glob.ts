/**
 * Path globs of `approvals[].paths` (`policies/prod/**`): `**` spans any number of path
 * segments (including none), `*` any run of characters inside one segment, `?` one character.
 * Matched segment by segment without regular expressions, so a config cannot smuggle in a
 * backtracking pattern.
 */

function matchSegment(pattern: string, text: string): boolean {
  // Iterative wildcard match with single-star backtracking: linear in practice, no recursion.
  let p = 0, t = 0, star = -1, mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
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

function matchSegments(pattern: readonly string[], path: readonly string[], pi: number, ti: number, memo: Map<number, boolean>): boolean {
  const key = pi * (path.length + 1) + ti;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  if (pi === pattern.length) result = ti === path.length;
  else if (pattern[pi] === "**") result = matchSegments(pattern, path, pi + 1, ti, memo) || (ti < path.length && matchSegments(pattern, path, pi, ti + 1, memo));
  else result = ti < path.length && matchSegment(pattern[pi]!, path[ti]!) && matchSegments(pattern, path, pi + 1, ti + 1, memo);
  memo.set(key, result);
  return result;
}

/** True when the repository-relative `path` matches `glob`. A leading `./` on either is ignored. */
export function matchPathGlob(glob: string, path: string): boolean {
  const norm = (s: string) => s.replace(/^\.\//, "").split("/").filter((seg) => seg !== "");
  return matchSegments(norm(glob), norm(path), 0, 0, new Map());
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
  const base = spec.replace(/\/+$/, "");
  return matchPathGlob(`${base}/**`, path);
}
