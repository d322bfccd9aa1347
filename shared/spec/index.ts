/** The spec module's public surface: load, validate and normalize KEDA ScaledObject manifests. */
export { awsEndpointProblem, trustEntryProblem } from './awsEndpoint.js';
export type { Trust } from './awsEndpoint.js';
export { loadScaledObjects } from './load.js';
export type { LoadedDocument, SkippedDocument } from './load.js';
export { parseScaledObject } from './parse.js';
export type { ParseOptions, ParseResult } from './parse.js';
export { SUPPORTED_TRIGGER_TYPES } from './triggers/registry.js';
export type * from './types.js';
