/**
 * `awsEndpoint` is https to an AWS host, or to a host the deployment trusts, and the rule holds in
 * every entry point: `lpa validate`, `lpa decide`, the functions' ScaleGroup (and their
 * configuration), and synth.
 */
import { describe, expect, it } from 'vitest';
import { parseScaleGroup } from '../../../shared/app/scaleGroup.js';
import { configFromEnv } from '../../../shared/app/runtime.js';
import { decideCommand } from '../../../shared/cli/decide.js';
import { validateCommand } from '../../../shared/cli/validate.js';
import { decideJson } from '../../../shared/engine/contract.js';
import { awsEndpointProblem, parseScaledObject, trustEntryProblem } from '../../../shared/spec/index.js';
import type { Trust } from '../../../shared/spec/index.js';
import { memoryIO } from '../../helpers/cli.js';
import { manifest, sqsTriggerJson } from './fixtures.js';

const LOCAL: Trust = { awsEndpoints: ['http://127.0.0.1', 'localstack.internal'] };

describe('Function: awsEndpointProblem', () => {
  it.each([
    { url: 'https://sqs.us-east-1.amazonaws.com', comment: 'a regional endpoint' },
    { url: 'https://sqs-fips.us-gov-west-1.amazonaws.com', comment: 'a FIPS endpoint' },
    { url: 'https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.eu-west-1.vpce.amazonaws.com', comment: 'a VPC endpoint name' },
    { url: 'https://monitoring.cn-north-1.amazonaws.com.cn', comment: 'a China endpoint' },
    { url: 'https://sqs.eu-west-1.api.aws', comment: 'a dual-stack endpoint' },
    { url: 'https://SQS.US-EAST-1.AMAZONAWS.COM:443/', comment: 'upper case, explicit port and path' },
  ])('accepts $comment', ({ url }) => {
    expect(awsEndpointProblem(url)).toBeUndefined();
  });

  it.each([
    { url: 'http://sqs.us-east-1.amazonaws.com', fragment: "must be https: signed AWS requests carry the role's session token" },
    { url: 'https://metrics.example.com', fragment: 'must be an AWS endpoint (a host under *.amazonaws.com, *.amazonaws.com.cn, *.api.aws, *.api.amazonwebservices.com.cn), got host metrics.example.com' },
    { url: 'https://amazonaws.com', fragment: 'got host amazonaws.com' },
    { url: 'https://sqs.us-east-1.amazonaws.com.attacker.net', fragment: 'got host sqs.us-east-1.amazonaws.com.attacker.net' },
    { url: 'https://evil-amazonaws.com', fragment: 'got host evil-amazonaws.com' },
    { url: 'https://127.0.0.1:4566', fragment: 'got host 127.0.0.1' },
    { url: 'https://user:secret@sqs.us-east-1.amazonaws.com', fragment: 'must not carry credentials' },
    { url: 'localhost:4566', fragment: 'must be https' },
    { url: 'not a url', fragment: 'must be an https URL of an AWS endpoint' },
  ])('refuses $url', ({ url, fragment }) => {
    expect(awsEndpointProblem(url)).toContain(fragment);
  });

  it.each([
    { url: 'http://127.0.0.1:4566', ok: true },
    { url: 'https://127.0.0.1:9443', ok: true },
    { url: 'https://localstack.internal:4566', ok: true },
    { url: 'http://localstack.internal:4566', ok: false },
    { url: 'http://127.0.0.2:4566', ok: false },
  ])('under trust in http://127.0.0.1 and localstack.internal: $url → $ok', ({ url, ok }) => {
    expect(awsEndpointProblem(url, LOCAL) === undefined).toBe(ok);
  });

  it('says how to allow plain http to a host trusted for https only', () => {
    expect(awsEndpointProblem('http://localstack.internal:4566', LOCAL)).toContain('trust it as http://localstack.internal');
  });

  it.each([
    { entry: 'localhost', ok: true },
    { entry: 'http://127.0.0.1', ok: true },
    { entry: 'https://metrics.example.com/', ok: true },
    { entry: 'http://[::1]', ok: true },
    { entry: 'localhost:4566', ok: false },
    { entry: 'http://h/path', ok: false },
    { entry: 'user@host', ok: false },
    { entry: '[::1::2]', ok: false },
    { entry: '', ok: false },
  ])('trust entry "$entry" is valid: $ok', ({ entry, ok }) => {
    expect(trustEntryProblem(entry) === undefined).toBe(ok);
  });
});

const LOCAL_SQS = manifest((m) => (m.spec.triggers = [sqsTriggerJson({ awsEndpoint: 'http://127.0.0.1:4566' })]));
const EXPECTED_PATH = 'spec.triggers[0].metadata.awsEndpoint';

describe('Every entry point applies the awsEndpoint rule', () => {
  it('parseScaledObject refuses a plain-http endpoint, and accepts it when trusted', () => {
    const refused = parseScaledObject(LOCAL_SQS);
    expect(refused.ok ? [] : refused.issues.map((i) => [i.path, i.message])).toEqual([[EXPECTED_PATH, expect.stringContaining('must be https')]]);
    expect(parseScaledObject(LOCAL_SQS, { trust: LOCAL }).ok).toBe(true);
  });

  it('lpa validate: refused without --trust-aws-endpoint, accepted with it', async () => {
    const files = { 'so.json': JSON.stringify(LOCAL_SQS) };
    const refused = memoryIO(files);
    expect(await validateCommand(['so.json'], refused.io)).toBe(1);
    expect(refused.err.join('\n')).toContain(`so.json:1: ${EXPECTED_PATH}: must be https`);
    const trusted = memoryIO(files);
    expect(await validateCommand(['--trust-aws-endpoint', 'http://127.0.0.1', 'so.json'], trusted.io)).toBe(0);
  });

  it('lpa validate: a trust entry that is not a host is a usage error', async () => {
    const { io, err } = memoryIO({});
    expect(await validateCommand(['--trust-aws-endpoint', 'http://127.0.0.1:4566', 'so.json'], io)).toBe(2);
    expect(err[0]).toContain('--trust-aws-endpoint "http://127.0.0.1:4566" must be a host name or IP address');
  });

  it('lpa decide: refused without trust, decided with --trust-aws-endpoint', async () => {
    const evaluation = { now: '2026-11-23T10:00:00Z', scaledObject: LOCAL_SQS, target: { specReplicas: 1 }, metrics: { '0': { value: 5 } } };
    expect(() => decideJson(evaluation)).toThrow(`scaledObject.${EXPECTED_PATH}: must be https`);
    const { io, out } = memoryIO({ 'in.json': JSON.stringify(evaluation) });
    expect(await decideCommand(['--input', 'in.json', '--trust-aws-endpoint', 'http://127.0.0.1'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ replicas: 1 });
  });

  it('the functions: a ScaleGroup object is reported invalid unless the configuration trusts the host', () => {
    const event = { cluster: { name: 'demo', region: 'eu-west-1' }, scaledObjects: [LOCAL_SQS] };
    const refused = parseScaleGroup(event);
    expect(refused.ok && refused.group.invalid.map((i) => i.issues.map((issue) => issue.path))).toEqual([[`scaledObjects[0].${EXPECTED_PATH}`]]);
    const trusted = parseScaleGroup(event, '<event>', configFromEnv({ LPA_TABLE_NAME: 't', LPA_TRUSTED_AWS_ENDPOINTS: 'http://127.0.0.1, localstack.internal' }).trust);
    expect(trusted.ok && trusted.group.objects).toHaveLength(1);
  });

  it('the functions refuse a malformed LPA_TRUSTED_AWS_ENDPOINTS at init', () => {
    expect(() => configFromEnv({ LPA_TABLE_NAME: 't', LPA_TRUSTED_AWS_ENDPOINTS: 'http://127.0.0.1:4566' })).toThrow(
      'environment variable LPA_TRUSTED_AWS_ENDPOINTS: "http://127.0.0.1:4566" must be a host name or IP address',
    );
  });
});
