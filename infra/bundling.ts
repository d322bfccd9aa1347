/**
 * How both Lambda handlers are bundled, in one place: the CDK construct (NodejsFunction, local
 * esbuild) and `npm run bench` (esbuild's API) read these, so the benchmarked bundle is the one
 * that ships. Plain data, no CDK import: the benchmark must not load aws-cdk-lib.
 */

/** The handlers, by function name: `functions/<name>/handler.ts`, export `handler`. */
const HANDLERS = ['scaler', 'alarm'] as const;
type HandlerName = (typeof HANDLERS)[number];

/**
 * The Kafka client and AWS's MSK IAM signer (~0.7 MB minified together) stay out of the handler
 * bundle, which must stay within 500 KB and import fast: they are imported on the first Kafka read
 * only, from the function's node_modules, which the construct installs only when a manifest has a
 * Kafka trigger.
 */
const KAFKA_MODULES = ['@platformatic/kafka', 'aws-msk-iam-sasl-signer-js'] as const;

const LPA_BUNDLE = {
  format: 'esm',
  minify: true,
  /** The Lambda runtime's major; the repo is tested on the same Node (package.json devDependency). */
  target: 'node22',
  /**
   * ES modules first: the `@smithy/*` signer's CommonJS entries re-export whole `@smithy/core`
   * submodules, which esbuild cannot tree-shake; their ES builds can (scaler 524 KB → 398 KB).
   */
  mainFields: ['module', 'main'],
  /** The Lambda Node runtimes ship AWS SDK v3; bundling our own would only add size. Kafka: see KAFKA_MODULES. */
  external: ['@aws-sdk/*', ...KAFKA_MODULES],
  /** ESM bundles of CommonJS dependencies (middy, Powertools internals) still call `require`. */
  banner: "import { createRequire as __lpaCreateRequire } from 'node:module'; const require = __lpaCreateRequire(import.meta.url);",
} as const;

/** Path of a handler's entry, relative to the repository root. */
const handlerEntry = (name: HandlerName): string => `functions/${name}/handler.ts`;

export { HANDLERS, KAFKA_MODULES, LPA_BUNDLE, handlerEntry };
export type { HandlerName };
