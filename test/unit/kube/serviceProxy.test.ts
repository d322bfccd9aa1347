import { describe, expect, it } from 'vitest';
import { KubeForbiddenError, KubeNotFoundError } from '../../../shared/kube/errors.js';
import { proxiedResponse, proxyCall } from '../../../shared/kube/serviceProxy.js';

const call = proxyCall({ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090', path: '/api/v1/query?query=up', headers: [], timeoutMs: 3000 });
const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

describe('Function: proxyCall', () => {
  it('keeps ":" literal in the name segment and needs services/proxy get on exactly that name', () => {
    expect(call).toMatchObject({
      path: '/api/v1/namespaces/monitoring/services/http:prometheus-server:9090/proxy/api/v1/query?query=up',
      rule: { verb: 'get', resource: 'services/proxy', apiGroup: '', namespace: 'monitoring', resourceNames: ['http:prometheus-server:9090'] },
    });
  });
});

describe('Function: proxiedResponse', () => {
  it.each([
    { case: "Prometheus' own 400 error", status: 400, text: '{"status":"error","errorType":"bad_data","error":"parse error"}' },
    { case: "Prometheus' 404 for a wrong route prefix (plain text)", status: 404, text: '404 page not found\n' },
    { case: 'a success', status: 200, text: '{"status":"success","data":{"resultType":"vector","result":[]}}' },
  ])("passes on the Service's answer: $case", ({ status: code, text }) => {
    expect(proxiedResponse({ status: code, text, retryAfter: undefined }, call, 0)).toEqual({ status: code, body: text });
  });

  it("turns the API server's RBAC refusal into a KubeForbiddenError that keeps the resourceNames", () => {
    const text = status(403, 'Forbidden', 'services "http:prometheus-server:9090" is forbidden: User "lpa" cannot get resource "services/proxy" in API group "" in the namespace "monitoring"');

    const error = (() => {
      try {
        return proxiedResponse({ status: 403, text, retryAfter: undefined }, call, 0);
      } catch (thrown) {
        return thrown;
      }
    })();

    expect(error).toBeInstanceOf(KubeForbiddenError);
    expect((error as KubeForbiddenError).message).toContain('resourceNames: ["http:prometheus-server:9090"]');
  });

  it('turns a missing Service into a KubeNotFoundError', () => {
    expect(() => proxiedResponse({ status: 404, text: status(404, 'NotFound', 'services "prometheus-server" not found'), retryAfter: undefined }, call, 0)).toThrow(KubeNotFoundError);
  });
});
