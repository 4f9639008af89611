// Lets a worker thread started from the TypeScript sources (vitest, never dist/) load them:
// `new Worker(url.ts, { execArgv: ["--import", <this file>] })`. Registers module hooks that
// resolve the sources' `./x.js` imports to `./x.ts` and compile TypeScript with esbuild's
// transform (types stripped, nothing bundled). dist/ bundles its worker and never uses this.
import { register } from "node:module";

register(new URL("./ts-worker-loader.mjs", import.meta.url));
