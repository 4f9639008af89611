// The core must stay pure: no file system, network, process state, clock or randomness.
// This is enforced here rather than by memory (shared/STYLE.md).
import tseslint from "typescript-eslint";

const impureModules = [
  "fs", "node:fs", "fs/promises", "node:fs/promises", "path", "node:path",
  "child_process", "node:child_process", "http", "node:http", "https", "node:https",
  "net", "node:net", "os", "node:os", "process", "node:process", "zlib", "node:zlib",
  "stream", "node:stream", "readline", "node:readline", "worker_threads", "node:worker_threads",
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".bench/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: impureModules.map((name) => ({ name, message: "src/core is pure: do I/O in src/io, src/cli or src/action." })),
        patterns: [
          { group: ["@actions/*", "@octokit/*"], message: "src/core never talks to GitHub." },
          { group: ["**/io/**", "**/cli/**", "**/action/**"], message: "src/core must not import a shell." },
        ],
      }],
      "no-restricted-globals": ["error",
        { name: "process", message: "src/core is pure: pass what you need as a parameter." },
        { name: "Date", message: "src/core has no clock: pass times in as integer ms." },
        { name: "setTimeout", message: "src/core has no timers." },
        { name: "fetch", message: "src/core has no network." },
      ],
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "src/core has no randomness." },
      ],
      "no-restricted-syntax": ["error",
        { selector: "CallExpression[callee.property.name='toLocaleString']", message: "Locale-dependent output breaks determinism." },
        { selector: "CallExpression[callee.property.name='localeCompare']", message: "Locale-dependent ordering breaks determinism; use a named comparator." },
      ],
    },
  },
  {
    rules: {
      "no-eval": "error",
      "no-new-func": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
