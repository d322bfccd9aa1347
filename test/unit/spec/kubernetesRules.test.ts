/**
 * The API server's own rules (names, namespaces, labels, annotations, int32 counts), applied by the
 * one parser every entry point uses: a manifest LPA accepts is one `kubectl apply` accepts.
 */
import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../../../shared/spec/kubeNames.js';
import { expectOneIssue, issuesOf, manifest, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

describe('Module: kubeNames', () => {
  it.each([
    // apimachinery validation_test.go TestIsDNS1123Subdomain: good and bad values
    { text: 'a', subdomain: true, label: true },
    { text: 'a.b.c', subdomain: true, label: false },
    { text: '1-2.3-4', subdomain: true, label: false },
    { text: `${'a'.repeat(63)}.${'b'.repeat(63)}`, subdomain: true, label: false },
    { text: 'a'.repeat(64), subdomain: true, label: false },
    { text: 'A', subdomain: false, label: false },
    { text: 'a_b', subdomain: false, label: false },
    { text: '-a', subdomain: false, label: false },
    { text: 'a-', subdomain: false, label: false },
    { text: 'a..b', subdomain: false, label: false },
    { text: '.a', subdomain: false, label: false },
    { text: 'a'.repeat(254), subdomain: false, label: false },
  ])('DNS-1123 "$text": subdomain $subdomain, label $label', ({ text, subdomain, label }) => {
    expect(dns1123SubdomainProblem(text) === undefined).toBe(subdomain);
    expect(dns1123LabelProblem(text) === undefined).toBe(label);
  });

  it.each([
    // apimachinery TestIsQualifiedName
    { text: 'simple', ok: true },
    { text: 'now-with-dashes', ok: true },
    { text: '1-starts-with-num', ok: true },
    { text: '1234', ok: true },
    { text: 'simple/simple', ok: true },
    { text: 'now-with-dashes/simple', ok: true },
    { text: 'example.com/Upper_case.ok', ok: true },
    { text: `${'a'.repeat(253)}/${'b'.repeat(63)}`, ok: true },
    { text: 'nospecialchars%^=@', ok: false },
    { text: 'cantendwithadash-', ok: false },
    { text: '-cantstartwithadash-', ok: false },
    { text: 'only/one/slash', ok: false },
    { text: 'Example.com/abc', ok: false },
    { text: 'example_com/abc', ok: false },
    { text: 'example.com/', ok: false },
    { text: '/simple', ok: false },
    { text: 'a'.repeat(64), ok: false },
    { text: `${'a'.repeat(254)}/abc`, ok: false },
  ])('qualified name "$text": $ok', ({ text, ok }) => {
    expect(qualifiedNameProblem(text) === undefined).toBe(ok);
  });

  it.each([
    // apimachinery TestIsValidLabelValue
    { text: '', ok: true },
    { text: 'simple', ok: true },
    { text: 'now-with-dashes', ok: true },
    { text: '1-starts-with-num', ok: true },
    { text: 'end-with-num-1', ok: true },
    { text: 'UpperCase_and.dots', ok: true },
    { text: 'a'.repeat(63), ok: true },
    { text: 'nospecialchars%^=@', ok: false },
    { text: 'Tama-nui-te-rā.Atua-o-te-awatea', ok: false },
    { text: 'cantendwithadash-', ok: false },
    { text: 'with/slash', ok: false },
    { text: 'a'.repeat(64), ok: false },
  ])('label value "$text": $ok', ({ text, ok }) => {
    expect(labelValueProblem(text) === undefined).toBe(ok);
  });
});

describe('Function: parseScaledObject (Kubernetes rules)', () => {
  it.each([
    { comment: 'namespace that is a subdomain but not a label', edit: (m: Json) => (m.metadata.namespace = 'team.shop'), path: 'metadata.namespace', fragment: 'RFC 1123 label' },
    { comment: 'scaleTargetRef.name with an underscore', edit: (m: Json) => (m.spec.scaleTargetRef.name = 'orders_worker'), path: 'spec.scaleTargetRef.name', fragment: 'RFC 1123 subdomain' },
    { comment: 'HPA name with upper case', edit: (m: Json) => (m.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'HPA' } }), path: 'spec.advanced.horizontalPodAutoscalerConfig.name', fragment: 'RFC 1123 subdomain' },
    { comment: 'label value with a slash', edit: (m: Json) => (m.metadata.labels = { team: 'shop/orders' }), path: 'metadata.labels.team', fragment: "alphanumeric characters, '-', '_' or '.'" },
    { comment: 'label value over 63 characters', edit: (m: Json) => (m.metadata.labels = { team: 'a'.repeat(64) }), path: 'metadata.labels.team', fragment: 'no more than 63 characters, got 64' },
    { comment: 'label key with two slashes', edit: (m: Json) => (m.metadata.labels = { 'a/b/c': 'x' }), path: 'metadata.labels["a/b/c"]', fragment: 'key must be a qualified name' },
    { comment: 'annotation key with an upper-case prefix that is not a subdomain', edit: (m: Json) => (m.metadata.annotations = { 'my_org/owner': 'x' }), path: 'metadata.annotations["my_org/owner"]', fragment: 'key prefix part must be a lowercase RFC 1123 subdomain' },
    { comment: 'annotations over 256 KiB in total', edit: (m: Json) => (m.metadata.annotations = { note: 'x'.repeat(256 * 1024) }), path: 'metadata.annotations', fragment: 'at most 262144 bytes in total' },
  ])('rejects: $comment', ({ edit, path, fragment }) => {
    expectOneIssue(parseScaledObject(manifest(edit)), path, fragment);
  });

  it('accepts label keys with a prefix and annotation keys the API server lowercases before checking', () => {
    const so = valid(parseScaledObject(manifest((m) => {
      m.metadata.labels = { 'app.kubernetes.io/name': 'orders', tier: '' };
      m.metadata.annotations = { 'Example.com/Owner': 'Team Shop: orders & refunds' };
    })));
    expect(so.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'orders', tier: '' });
  });

  it.each([
    { field: 'maxReplicaCount', edit: (m: Json) => (m.spec.maxReplicaCount = 2 ** 31), path: 'spec.maxReplicaCount' },
    { field: 'minReplicaCount', edit: (m: Json) => Object.assign(m.spec, { minReplicaCount: 2 ** 31, maxReplicaCount: 2 ** 31 - 1 }), path: 'spec.minReplicaCount' },
    { field: 'idleReplicaCount', edit: (m: Json) => (m.spec.idleReplicaCount = 2 ** 31), path: 'spec.idleReplicaCount' },
    { field: 'pollingInterval', edit: (m: Json) => (m.spec.pollingInterval = 2 ** 31), path: 'spec.pollingInterval' },
    { field: 'cooldownPeriod', edit: (m: Json) => (m.spec.cooldownPeriod = 2 ** 31), path: 'spec.cooldownPeriod' },
    { field: 'fallback.replicas', edit: (m: Json) => (m.spec.fallback = { failureThreshold: 3, replicas: 2 ** 31 }), path: 'spec.fallback.replicas' },
  ])('rejects $field beyond int32', ({ edit, path }) => {
    // min and idle also break their cross-field rules; the int32 issue must be among them.
    expect(issuesOf(parseScaledObject(manifest(edit)))).toContainEqual(
      expect.objectContaining({ path, message: 'must fit a 32-bit integer (≤ 2147483647), got 2147483648' }),
    );
  });

  it('accepts the largest int32 replica count', () => {
    expect(valid(parseScaledObject(manifest((m) => (m.spec.maxReplicaCount = 2 ** 31 - 1)))).spec.maxReplicaCount).toBe(2 ** 31 - 1);
  });
});
