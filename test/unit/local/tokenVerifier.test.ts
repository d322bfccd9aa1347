import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../dev/local/kube/tokenVerifier.js';
import type { AwsIdentity } from '../../../dev/local/kube/tokenVerifier.js';
import { mintToken } from './helpers.js';
import type { MintOptions } from './helpers.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MINUTE = 60_000;
const CLUSTER = 'demo';
const REGION = 'eu-west-1';
const scaler = { accessKeyId: 'AKIDSCALER000000', secretAccessKey: 'scaler-secret-key', username: 'scaler', groups: ['lpa-scalers'] };
const lambdaRole = {
  accessKeyId: 'ASIALAMBDA000000',
  secretAccessKey: 'lambda-secret-key',
  sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDH+session/token==',
  username: 'arn:aws:sts::123456789012:assumed-role/lpa-scaler/fn',
  groups: ['eks-autoscaler'],
};
const identities: AwsIdentity[] = [scaler, lambdaRole];
const verify = createTokenVerifier({ clusterName: CLUSTER, region: REGION, identities, now: () => NOW });

const base: MintOptions = { credentials: scaler, clusterName: CLUSTER, region: REGION, signingDate: new Date(NOW) };

describe('Function: createTokenVerifier', () => {
  it.each([
    { comment: 'a regional token as `aws eks get-token` makes it', mint: base, username: 'scaler' },
    {
      comment: 'the global STS host signed for us-east-1',
      mint: { ...base, region: 'us-east-1', host: 'sts.amazonaws.com' },
      username: 'scaler',
    },
    {
      comment: 'temporary credentials with their session token (a Lambda role)',
      mint: { ...base, credentials: lambdaRole },
      username: lambdaRole.username,
    },
    { comment: 'a token signed 14 minutes ago', mint: { ...base, signingDate: new Date(NOW - 14 * MINUTE) }, username: 'scaler' },
    { comment: 'X-Amz-Expires 900, the largest allowed', mint: { ...base, expiresIn: 900 }, username: 'scaler' },
  ])('accepts $comment', async ({ mint, username }) => {
    // Prepare
    const token = await mintToken(mint);

    // Act
    const verdict = verify(token);

    // Assess
    expect(verdict).toEqual({ ok: true, user: { username, groups: expect.any(Array) } });
  });

  it('maps the principal to its configured groups', async () => {
    // Act
    const verdict = verify(await mintToken({ ...base, credentials: lambdaRole }));

    // Assess
    expect(verdict).toEqual({ ok: true, user: { username: lambdaRole.username, groups: ['eks-autoscaler'] } });
  });

  it.each([
    { comment: 'wrong prefix', mint: { ...base, prefix: 'k8s-aws-v2.' }, reason: /missing expected "k8s-aws-v1\." prefix/ },
    { comment: 'http scheme', mint: { ...base, scheme: 'http' }, reason: /unexpected scheme "http"/ },
    { comment: 'another region’s STS host', mint: { ...base, region: 'eu-central-1' }, reason: /unexpected hostname "sts\.eu-central-1\.amazonaws\.com"/ },
    { comment: 'a non-STS host', mint: { ...base, host: 'sts.example.com' }, reason: /unexpected hostname/ },
    { comment: 'an extra query key', mint: { ...base, extraQuery: { Foo: 'bar' } }, reason: /non-whitelisted query parameter "Foo"/ },
    {
      comment: 'a key given twice',
      mint: { ...base, extraQuery: { Version: ['2011-06-15', '2011-06-15'] } },
      reason: /multiple values/,
    },
    {
      comment: 'a key given twice in different case',
      mint: { ...base, extraQuery: { action: 'GetCallerIdentity' } },
      reason: /multiple values/,
    },
    { comment: 'another action', mint: { ...base, extraQuery: { Action: 'GetSessionToken' } }, reason: /unexpected action/ },
    { comment: 'x-k8s-aws-id not signed', mint: { ...base, signClusterId: false }, reason: /did not sign the x-k8s-aws-id header/ },
    { comment: 'X-Amz-Expires 3600 (smithy’s default)', mint: { ...base, expiresIn: 3600 }, reason: /invalid X-Amz-Expires/ },
    { comment: 'a date 16 minutes old', mint: { ...base, signingDate: new Date(NOW - 16 * MINUTE) }, reason: /X-Amz-Date parameter is expired/ },
    { comment: 'a date 16 minutes ahead', mint: { ...base, signingDate: new Date(NOW + 16 * MINUTE) }, reason: /not yet current/ },
    {
      comment: 'the wrong secret',
      mint: { ...base, credentials: { ...scaler, secretAccessKey: 'not-the-secret' } },
      reason: /SignatureDoesNotMatch/,
    },
    { comment: 'a token for another cluster', mint: { ...base, clusterName: 'other' }, reason: /SignatureDoesNotMatch/ },
    {
      comment: 'an unknown access key',
      mint: { ...base, credentials: { ...scaler, accessKeyId: 'AKIDUNKNOWN00000' } },
      reason: /InvalidClientTokenId/,
    },
    {
      comment: 'temporary credentials without their session token',
      mint: { ...base, credentials: { ...lambdaRole, sessionToken: undefined } },
      reason: /session token/,
    },
    {
      comment: 'a token over 4 KiB',
      mint: { ...base, credentials: { ...lambdaRole, sessionToken: 'x'.repeat(4096) } },
      reason: /token is too large/,
    },
  ])('rejects $comment', async ({ mint, reason }) => {
    // Prepare
    const token = await mintToken(mint);

    // Act
    const verdict = verify(token);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it.each([
    { comment: 'a token that is not base64url', token: 'k8s-aws-v1.not base64!' },
    { comment: 'a token with base64 padding', token: `k8s-aws-v1.${Buffer.from('https://sts.eu-west-1.amazonaws.com/?a').toString('base64')}` },
  ])('rejects $comment', ({ token }) => {
    // Act
    const verdict = verify(token);

    // Assess
    expect(verdict.ok).toBe(false);
  });

  it('rejects a token whose signature was altered', async () => {
    // Prepare
    const url = Buffer.from((await mintToken(base)).slice('k8s-aws-v1.'.length), 'base64url').toString();
    const altered = url.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);

    // Act
    const verdict = verify(`k8s-aws-v1.${Buffer.from(altered).toString('base64url')}`);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(/SignatureDoesNotMatch/) });
  });

  it('never quotes the token, signature or session token in a rejection', async () => {
    // Prepare
    const token = await mintToken({ ...base, credentials: { ...lambdaRole, secretAccessKey: 'wrong' } });
    const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(Buffer.from(token.slice(11), 'base64url').toString())?.[1] ?? '';

    // Act
    const verdict = verify(token);

    // Assess
    const reason = verdict.ok ? '' : verdict.reason;
    expect(reason).not.toBe('');
    for (const secret of [token.slice(11, 40), signature, lambdaRole.sessionToken]) expect(reason).not.toContain(secret);
  });
});
