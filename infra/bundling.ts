/**
 * How both Lambda handlers are bundled, in one place: the CDK construct (NodejsFunction, local
 * esbuild) and `npm run bench` (esbuild's API) read these, so the benchmarked bundle is the one
 * that ships. Plain data, no CDK import: the benchmark must not load aws-cdk-lib.
 */

/** The handlers, by function name: `functions/<name>/handler.ts`, export `handler`. */
const HANDLERS = ['scaler', 'alarm'] as const;
type HandlerName = (typeof HANDLERS)[number];

const LPA_BUNDLE = {
  format: 'esm',
  minify: true,
  /** The Lambda runtime's major; the repo is tested on the same Node (package.json devDependency). */
  target: 'node22',
  /** The Lambda Node runtimes ship AWS SDK v3; bundling our own would only add size. */
  external: ['@aws-sdk/*'],
  /** ESM bundles of CommonJS dependencies (middy, Powertools internals) still call `require`. */
  banner: "import { createRequire as __lpaCreateRequire } from 'node:module'; const require = __lpaCreateRequire(import.meta.url);",
} as const;

/** Path of a handler's entry, relative to the repository root. */
const handlerEntry = (name: HandlerName): string => `functions/${name}/handler.ts`;

export { HANDLERS, LPA_BUNDLE, handlerEntry };
export type { HandlerName };
