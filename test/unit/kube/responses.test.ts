/**
 * Error mapping (DESIGN.md §4) over the Status bodies a real kube-apiserver sent
 * (reference/kube-api-responses.md), and response parsing with field-naming errors.
 */
import { describe, expect, it } from 'vitest';
import {
  KubeApiError,
  KubeForbiddenError,
  KubeNotFoundError,
  KubeResponseError,
  KubeUnauthorizedError,
} from '../../../shared/kube/errors.js';
import { errorForStatus, parseBody, podListSchema, scaleSchema, type RequestContext } from '../../../shared/kube/responses.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');

const GET_SCALE: RequestContext = {
  target: 'deployment demo/worker',
  rule: { verb: 'get', resource: 'deployments/scale', apiGroup: 'apps', namespace: 'demo' },
};
const PATCH_SCALE: RequestContext = { ...GET_SCALE, rule: { ...GET_SCALE.rule, verb: 'patch' } };
const LIST_PODS: RequestContext = {
  target: 'pods matching "app=worker" in namespace demo',
  rule: { verb: 'list', resource: 'pods', apiGroup: '', namespace: 'demo' },
};

// Bodies verbatim from reference/kube-api-responses.md.
const UNAUTHORIZED = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}';
const FORBIDDEN_PATCH =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"worker\\" is forbidden: User \\"scaler\\" cannot patch resource \\"deployments/scale\\" in API group \\"apps\\" in the namespace \\"demo\\"","reason":"Forbidden","details":{"name":"worker","group":"apps","kind":"deployments"},"code":403}';
const FORBIDDEN_GET_DEFAULT =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"worker\\" is forbidden: User \\"scaler\\" cannot get resource \\"deployments/scale\\" in API group \\"apps\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"name":"worker","group":"apps","kind":"deployments"},"code":403}';
const NOT_FOUND_GET =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments/scale.apps \\"does-not-exist\\" not found","reason":"NotFound","details":{"name":"does-not-exist","group":"apps","kind":"deployments/scale"},"code":404}';
const CONFLICT =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \\"worker\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"worker","group":"apps","kind":"deployments"},"code":409}';
const INVALID =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Scale.autoscaling \\"worker\\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid","details":{"name":"worker","group":"autoscaling","kind":"Scale","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422}';
const BAD_REQUEST = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"error decoding patch: unexpected end of JSON input","reason":"BadRequest","code":400}';
const UNSUPPORTED_MEDIA =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"415: Unsupported Media Type","reason":"UnsupportedMediaType","details":{},"code":415}';
// API Priority and Fairness and an overloaded server (same Status shape).
const TOO_MANY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":1},"code":429}';
const INTERNAL =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: etcdserver: request timed out","reason":"InternalError","code":500}';

describe('Function: errorForStatus', () => {
  it.each([
    {
      comment: '401 Unauthorized',
      status: 401,
      body: UNAUTHORIZED,
      context: GET_SCALE,
      type: KubeUnauthorizedError,
      reason: 'Unauthorized',
      retryable: false,
      fragments: ['get deployments/scale of deployment demo/worker', '401 Unauthorized', 'access entry'],
    },
    {
      comment: '403 on PATCH scale names verb, resource and namespace',
      status: 403,
      body: FORBIDDEN_PATCH,
      context: PATCH_SCALE,
      type: KubeForbiddenError,
      reason: 'Forbidden',
      retryable: false,
      fragments: [
        'RBAC does not allow "patch" on "deployments/scale" in API group "apps" in namespace "demo" (deployment demo/worker)',
        '- apiGroups: ["apps"]\n  resources: ["deployments/scale"]\n  verbs: ["patch"]',
      ],
    },
    {
      comment: '403 in another namespace takes the namespace the server names',
      status: 403,
      body: FORBIDDEN_GET_DEFAULT,
      context: { ...GET_SCALE, target: 'deployment default/worker', rule: { ...GET_SCALE.rule, namespace: 'default' } },
      type: KubeForbiddenError,
      reason: 'Forbidden',
      retryable: false,
      fragments: ['"get" on "deployments/scale"', 'in namespace "default"'],
    },
    {
      comment: '403 on list pods without a Status body falls back to the rule the request needed',
      status: 403,
      body: 'forbidden',
      context: LIST_PODS,
      type: KubeForbiddenError,
      reason: 'Forbidden',
      retryable: false,
      fragments: ['"list" on "pods" in the core API group in namespace "demo"', '- apiGroups: [""]'],
    },
    {
      comment: '404 names the target',
      status: 404,
      body: NOT_FOUND_GET,
      context: { ...GET_SCALE, target: 'deployment demo/does-not-exist' },
      type: KubeNotFoundError,
      reason: 'NotFound',
      retryable: false,
      fragments: ['deployment demo/does-not-exist not found'],
    },
    {
      comment: '409 Conflict is retried',
      status: 409,
      body: CONFLICT,
      context: PATCH_SCALE,
      type: KubeApiError,
      reason: 'Conflict',
      retryable: true,
      fragments: ['HTTP 409 Conflict', 'the object has been modified'],
    },
    {
      comment: '429 is retried',
      status: 429,
      body: TOO_MANY,
      context: GET_SCALE,
      type: KubeApiError,
      reason: 'TooManyRequests',
      retryable: true,
      fragments: ['HTTP 429'],
    },
    {
      comment: '500 is retried',
      status: 500,
      body: INTERNAL,
      context: GET_SCALE,
      type: KubeApiError,
      reason: 'InternalError',
      retryable: true,
      fragments: ['etcdserver: request timed out'],
    },
    {
      comment: '502 from a load balancer (HTML) is retried',
      status: 502,
      body: '<html><body>Bad Gateway</body></html>',
      context: GET_SCALE,
      type: KubeApiError,
      reason: 'HTTP502',
      retryable: true,
      fragments: ['get deployments/scale of deployment demo/worker failed: HTTP 502'],
    },
    {
      comment: '422 Invalid carries the Status message',
      status: 422,
      body: INVALID,
      context: PATCH_SCALE,
      type: KubeApiError,
      reason: 'Invalid',
      retryable: false,
      fragments: ['HTTP 422 Invalid', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      comment: '400 BadRequest carries the Status message',
      status: 400,
      body: BAD_REQUEST,
      context: PATCH_SCALE,
      type: KubeApiError,
      reason: 'BadRequest',
      retryable: false,
      fragments: ['error decoding patch: unexpected end of JSON input'],
    },
    {
      comment: '415 UnsupportedMediaType carries the Status message',
      status: 415,
      body: UNSUPPORTED_MEDIA,
      context: PATCH_SCALE,
      type: KubeApiError,
      reason: 'UnsupportedMediaType',
      retryable: false,
      fragments: ['415: Unsupported Media Type'],
    },
  ])('$comment', ({ status, body, context, type, reason, retryable, fragments }) => {
    // Act
    const error = errorForStatus(status, body, undefined, context, NOW);
    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.status).toBe(status);
    expect(error.reason).toBe(reason);
    expect(error.retryable).toBe(retryable);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
  });

  it('carries the parsed rule on a 403', () => {
    const error = errorForStatus(403, FORBIDDEN_PATCH, undefined, PATCH_SCALE, NOW) as KubeForbiddenError;
    expect(error.rule).toEqual({ verb: 'patch', resource: 'deployments/scale', apiGroup: 'apps', namespace: 'demo' });
  });

  it('reads Retry-After on a retryable status', () => {
    expect(errorForStatus(429, TOO_MANY, '2', GET_SCALE, NOW).retryAfterMs).toBe(2_000);
  });
});

describe('Function: parseBody', () => {
  const SCALE_3 =
    '{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"worker","namespace":"demo","uid":"c3c9e595-fe21-4fbb-9b2f-04f641b48d59","resourceVersion":"198","creationTimestamp":"2026-11-22T23:59:33Z"},"spec":{"replicas":3},"status":{"replicas":0,"selector":"app=worker"}}';

  it('reads the recorded Scale', () => {
    expect(parseBody(scaleSchema(), SCALE_3, 200, GET_SCALE)).toMatchObject({
      spec: { replicas: 3 },
      status: { replicas: 0, selector: 'app=worker' },
    });
  });

  it('reads a Scale at 0 replicas, where the API omits spec.replicas', () => {
    const body = '{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"worker"},"spec":{},"status":{"replicas":0,"selector":"app=worker"}}';
    expect(parseBody(scaleSchema(), body, 200, GET_SCALE).spec.replicas).toBe(0);
  });

  it('reads the recorded empty PodList', () => {
    const body = '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"201"},"items":[]}';
    expect(parseBody(podListSchema(), body, 200, LIST_PODS).items).toEqual([]);
  });

  it.each([
    { comment: 'a string where replicas should be', body: '{"kind":"Scale","spec":{"replicas":"3"},"status":{"replicas":0}}', fragment: 'spec.replicas:' },
    { comment: 'no status.replicas', body: '{"kind":"Scale","spec":{"replicas":3},"status":{}}', fragment: 'status.replicas:' },
    { comment: 'another kind of object', body: '{"kind":"Deployment","spec":{"replicas":3},"status":{"replicas":3}}', fragment: 'kind:' },
    { comment: 'a body that is not JSON', body: '<html>', fragment: 'response body is not JSON (HTTP 200)' },
  ])('fails naming the field on $comment', ({ body, fragment }) => {
    const parse = () => parseBody(scaleSchema(), body, 200, GET_SCALE);
    expect(parse).toThrow(KubeResponseError);
    expect(parse).toThrow(fragment);
    expect(parse).toThrow('get deployments/scale of deployment demo/worker');
  });
});
