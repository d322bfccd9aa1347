/**
 * `Status` bodies exactly as kube-apiserver v1.26 writes them (see team notes `kube-api-responses.md`):
 * compact JSON with Go's field order (kind, apiVersion, metadata, status, message, reason, details, code),
 * so clients are tested against the shapes they will meet.
 */

/** Go omits empty cause fields. */
interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: StatusDetails;
  readonly code: number;
}

/** What an authorizer saw: the same attributes kube uses to word its Forbidden message. */
interface ResourceAttributes {
  readonly verb: string;
  readonly namespace: string;
  readonly apiGroup: string;
  /** Resource without subresource, e.g. `deployments`. */
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

const failure = (code: number, reason: string, message: string, details?: StatusDetails): KubeStatus => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details === undefined ? {} : { details }),
  code,
});

/** Go's `GroupResource.String()`: the core group is left out. */
const qualified = (group: string, resource: string): string => (group === '' ? resource : `${resource}.${group}`);

/** Go omits empty strings (`omitempty`), so the core group never appears in details. */
const nameGroupKind = (name: string | undefined, group: string, kind: string): StatusDetails => ({
  ...(name === undefined || name === '' ? {} : { name }),
  ...(group === '' ? {} : { group }),
  kind,
});

const unauthorized = (): KubeStatus => failure(401, 'Unauthorized', 'Unauthorized');

const forbidden = (attributes: ResourceAttributes, username: string): KubeStatus => {
  const { verb, namespace, apiGroup, resource, subresource, name } = attributes;
  const full = subresource === undefined ? resource : `${resource}/${subresource}`;
  const subject = name === undefined ? qualified(apiGroup, resource) : `${qualified(apiGroup, resource)} "${name}"`;
  const scope = namespace === '' ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const why = `User "${username}" cannot ${verb} resource "${full}" in API group "${apiGroup}" ${scope}`;
  return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, nameGroupKind(name, apiGroup, resource));
};

/** `kind` is the resource as the storage names it: `deployments/scale` on GET scale, `deployments` on writes. */
const notFound = (group: string, kind: string, name: string): KubeStatus =>
  failure(404, 'NotFound', `${qualified(group, kind)} "${name}" not found`, nameGroupKind(name, group, kind));

const conflict = (group: string, resource: string, name: string): KubeStatus =>
  failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(group, resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    nameGroupKind(name, group, resource),
  );

/** A field that decoded but breaks validation, e.g. negative replicas. */
const invalidField = (kind: string, group: string, name: string, field: string, detail: string): KubeStatus =>
  failure(422, 'Invalid', `${kind}.${group} "${name}" is invalid: ${field}: ${detail}`, {
    name,
    group,
    kind,
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }],
  });

/** The patched object no longer decodes (e.g. replicas is a string): kube quotes the whole object back. */
const undecodablePatch = (patchedJson: string, goError: string): KubeStatus => {
  const detail = `Invalid value: ${JSON.stringify(patchedJson)}: ${goError}`;
  return failure(422, 'Invalid', ` "" is invalid: patch: ${detail}`, {
    causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'patch' }],
  });
};

/** A JSON Patch that decoded but does not apply (kube's `NewGenericServerResponse(422, …)`). */
const rejectedPatch = (cause: string): KubeStatus =>
  failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: cause }],
  });

const badRequest = (message: string): KubeStatus => failure(400, 'BadRequest', message);

const unsupportedMediaType = (): KubeStatus => failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});

const methodNotAllowed = (): KubeStatus =>
  failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

const noSuchResource = (): KubeStatus => failure(404, 'NotFound', 'the server could not find the requested resource', {});

/** API Priority and Fairness rejection. */
const tooManyRequests = (retryAfterSeconds: number): KubeStatus =>
  failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });

const internalError = (cause: string): KubeStatus =>
  failure(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });

const serviceUnavailable = (): KubeStatus =>
  failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');

/** The service proxy found no ready endpoint (or no port of that name or number): `ResourceLocation`'s words. */
const noEndpoints = (service: string): KubeStatus =>
  failure(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);

export {
  badRequest,
  conflict,
  forbidden,
  internalError,
  invalidField,
  methodNotAllowed,
  noEndpoints,
  noSuchResource,
  notFound,
  rejectedPatch,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
  undecodablePatch,
  unsupportedMediaType,
};
export type { KubeStatus, ResourceAttributes };
