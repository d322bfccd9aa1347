/** The spec module's public surface: load, validate and normalize KEDA ScaledObject manifests. */
export { awsEndpointProblem, trustEntryProblem } from './awsEndpoint.js';
export type { Trust } from './awsEndpoint.js';
export { loadDocuments, loadScaledObjects } from './load.js';
export type { AuthenticationDocument, LoadedDocument, LoadedManifestDocument, SkippedDocument } from './load.js';
export { authenticationLabel, parseTriggerAuthentication } from './auth/triggerAuthentication.js';
export type * from './auth/types.js';
export { parseScaledObject } from './parse.js';
export type { ParseOptions, ParseResult } from './parse.js';
export { SUPPORTED_TRIGGER_TYPES } from './triggers/registry.js';
export type * from './types.js';
