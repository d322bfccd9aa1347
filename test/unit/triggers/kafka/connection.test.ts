/**
 * The TriggerAuthentication rules of both Kafka triggers, from KEDA's own tables: kafka_scaler_test.go
 * `parseKafkaAuthParamsTestDataset` (authParams with `validKafkaMetadata`), `parseAuthParamsTestDataset`
 * (sasl/tls in metadata), `parseKafkaOAuthbearerAuthParamsTestDataset` (MSK rows) and
 * apache_kafka_scaler_test.go `parseApacheKafkaAuthParamsTestDataset` / `…TestDataset2`. A row's
 * outcome is the ScaledObject's validation, then `resolveConnection` with the row's authParams.
 *
 * Rows where LPA deliberately differs from KEDA say so in `lpa`: Kerberos (gssapi) and OAuth token
 * endpoints are refused (not supported), and MSK IAM without keys signs with the function's role.
 */
import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../../shared/spec/index.js';
import type { ApacheKafkaTrigger, KafkaTrigger } from '../../../../shared/spec/types.js';
import { resolveConnection } from '../../../../shared/triggers/kafka/connection.js';
import { manifest } from '../../spec/fixtures.js';

type Outcome = 'error' | { readonly tls: boolean };
type Row = readonly [name: string, metadata: Record<string, string>, authParams: Record<string, string>, keda: Outcome, lpa?: Outcome];

const outcome = (type: 'kafka' | 'apache-kafka', metadata: Record<string, string>, authParams: Record<string, string>): Outcome => {
  const parsed = parseScaledObject(manifest((m) => (m.spec.triggers = [{ type, metadata }])));
  if (!parsed.ok) return 'error';
  const trigger = parsed.scaledObject.spec.triggers[0] as KafkaTrigger | ApacheKafkaTrigger;
  const resolved = resolveConnection(trigger, authParams);
  return resolved.ok ? { tls: resolved.connection.tls !== undefined } : 'error';
};

const OK = { tls: false };
const TLS = { tls: true };
const KAFKA = { bootstrapServers: 'broker1:9092,broker2:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'false' };
const SO = { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'true', version: '1.0.0' };
const BEARER = { username: 'admin', password: 'admin', scopes: 'scope', oauthTokenEndpointUri: 'https://website.com', tls: 'disable' };
const GSS = { username: 'admin', kerberosConfig: '<config>', realm: 'tst.com' };
const PEM = { ca: 'caaa', cert: 'ceert', key: 'keey' };

const KAFKA_AUTH_ROWS: readonly Row[] = [
  ['#0 success, SASL only', KAFKA, { sasl: 'plaintext', username: 'admin', password: 'admin' }, OK],
  ['#1 success, SASL only (scram_sha256)', KAFKA, { sasl: 'scram_sha256', username: 'admin', password: 'admin' }, OK],
  ['#2 success, SASL only (scram_sha512)', KAFKA, { sasl: 'scram_sha512', username: 'admin', password: 'admin' }, OK],
  ['#3 success, TLS only', KAFKA, { tls: 'enable', ...PEM }, TLS],
  ['#4 success, TLS cert/key and assumed public CA', KAFKA, { tls: 'enable', cert: 'ceert', key: 'keey' }, TLS],
  ['#5 success, TLS cert/key + key password and assumed public CA', KAFKA, { tls: 'enable', cert: 'ceert', key: 'keey', keyPassword: 'keeyPassword' }, TLS],
  ['#6 success, TLS CA only', KAFKA, { tls: 'enable', ca: 'caaa' }, TLS],
  ['#7 success, SASL + TLS', KAFKA, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'enable', ...PEM }, TLS],
  ['#8 success, SASL + TLS explicitly disabled', KAFKA, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'disable' }, OK],
  ['#9 success, SASL OAUTHBEARER + TLS', KAFKA, { sasl: 'oauthbearer', ...BEARER }, OK, 'error'],
  ['#10 success, SASL GSSAPI/password', KAFKA, { sasl: 'gssapi', password: 'admin', ...GSS }, OK, 'error'],
  ['#11 success, SASL GSSAPI/keytab', KAFKA, { sasl: 'gssapi', keytab: '/path/to/keytab', ...GSS }, OK, 'error'],
  ['#15 failure, SASL OAUTHBEARER + TLS bad sasl type', KAFKA, { ...BEARER, sasl: 'foo' }, 'error'],
  ['#16 success, SASL OAUTHBEARER + TLS missing scope', KAFKA, { sasl: 'oauthbearer', username: 'admin', password: 'admin', oauthTokenEndpointUri: 'https://website.com', tls: 'disable' }, OK, 'error'],
  ['#17 failure, SASL OAUTHBEARER + TLS missing oauthTokenEndpointUri', KAFKA, { sasl: 'oauthbearer', ...BEARER, oauthTokenEndpointUri: '' }, 'error'],
  ['#18 failure, SASL incorrect type', KAFKA, { sasl: 'foo', username: 'admin', password: 'admin' }, 'error'],
  ['#19 failure, SASL missing username', KAFKA, { sasl: 'plaintext', password: 'admin' }, 'error'],
  ['#20 failure, SASL missing password', KAFKA, { sasl: 'plaintext', username: 'admin' }, 'error'],
  ['#21 failure, TLS missing cert', KAFKA, { tls: 'enable', ca: 'caaa', key: 'keey' }, 'error'],
  ['#22 failure, TLS missing key', KAFKA, { tls: 'enable', ca: 'caaa', cert: 'ceert' }, 'error'],
  ['#23 failure, TLS invalid', KAFKA, { tls: 'yes', ...PEM }, 'error'],
  ['#24 failure, SASL + TLS, incorrect sasl', KAFKA, { sasl: 'foo', username: 'admin', password: 'admin', tls: 'enable', ...PEM }, 'error'],
  ['#25 failure, SASL + TLS, incorrect tls', KAFKA, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'foo', ...PEM }, 'error'],
  ['#26 failure, SASL + TLS, missing username', KAFKA, { sasl: 'plaintext', password: 'admin', tls: 'enable', ...PEM }, 'error'],
  ['#27 failure, SASL + TLS, missing password', KAFKA, { sasl: 'plaintext', username: 'admin', tls: 'enable', ...PEM }, 'error'],
  ['#28 failure, SASL + TLS, missing cert', KAFKA, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'enable', ca: 'caaa', key: 'keey' }, 'error'],
  ['#29 failure, SASL + TLS, missing key', KAFKA, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'enable', ca: 'caaa', cert: 'ceert' }, 'error'],
  ['#30 failure, SASL GSSAPI missing password and keytab', KAFKA, { sasl: 'gssapi', ...GSS }, 'error'],
  ['#36 success, SASL none', KAFKA, { sasl: 'none' }, OK],
];

const KAFKA_SO_ROWS: readonly Row[] = [
  ['#0 success, SASL plaintext', { ...SO, sasl: 'plaintext' }, { username: 'admin', password: 'admin' }, OK],
  ['#3 success, TLS only', { ...SO, tls: 'enable' }, PEM, TLS],
  ['#7 success, TLS CA only and unsafeSSL', { ...SO, tls: 'enable', unsafeSsl: 'true' }, { ca: 'caaa' }, TLS, 'error'],
  ['#9 success, SASL + TLS explicitly disabled', { ...SO, sasl: 'plaintext', tls: 'disable' }, { username: 'admin', password: 'admin' }, OK],
  ['#13 success, SASL GSSAPI/password + TLS (tls disable, stray ca/cert/key ignored)', { ...SO, sasl: 'gssapi', tls: 'disable' }, { username: 'admin', password: 'admin', kerberosConfig: '<config>', realm: 'test.com', ...PEM }, OK, 'error'],
  ['#19 failure, SASL incorrect type', { ...SO, sasl: 'foo' }, { username: 'admin', password: 'admin' }, 'error'],
  ['#22 failure, TLS missing cert', { ...SO, tls: 'enable' }, { ca: 'caaa', key: 'keey' }, 'error'],
  ['#24 failure, TLS invalid', { ...SO, tls: 'random' }, PEM, 'error'],
  ['success, setting SASL values in both places (triggerMetadata takes precedence)', { ...SO, sasl: 'scram_sha512' }, { sasl: 'scram_sha512', username: 'admin', password: 'admin' }, OK],
  ['success, setting TLS values in both places (triggerMetadata takes precedence)', { ...SO, tls: 'enable' }, { tls: 'enable', ...PEM }, TLS],
  ['success, setting SASL plaintext value with extra \\n in TriggerAuthentication', SO, { sasl: 'plaintext\n', username: 'admin', password: 'admin' }, OK],
  ['success, setting SASL scram_sha512 value with extra space in TriggerAuthentication', SO, { sasl: 'scram_sha512 ', username: 'admin', password: 'admin' }, OK],
];

const KAFKA_MSK_ROWS: readonly Row[] = [
  ['success, SASL OAUTHBEARER MSK + TLS + Credentials', { ...KAFKA, awsRegion: 'eu-west-1' }, { sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', tls: 'enable', awsAccessKeyID: 'none', awsSecretAccessKey: 'none' }, TLS],
  ['success, SASL OAUTHBEARER MSK + TLS + Role', { ...KAFKA, awsRegion: 'eu-west-1' }, { sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1', awsRoleArn: 'none' }, TLS],
  ['failure, SASL OAUTHBEARER MSK + no TLS', KAFKA, { sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', tls: 'disable' }, 'error'],
  ['failure, SASL OAUTHBEARER MSK + TLS + no region (awsRegion in authParams is ignored)', KAFKA, { sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' }, 'error'],
  ['failure, SASL OAUTHBEARER MSK + TLS + no credentials', { ...KAFKA, awsRegion: 'eu-west-1' }, { sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', tls: 'enable' }, 'error', TLS],
];

const APACHE = { bootstrapServers: 'broker1:9092,broker2:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'false' };
const APACHE_SO = { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'true' };

const APACHE_AUTH_ROWS: readonly Row[] = [
  ['#0 success, SASL only', APACHE, { sasl: 'plaintext', username: 'admin', password: 'admin' }, OK],
  ['#1 success, SASL only (scram_sha256)', APACHE, { sasl: 'scram_sha256', username: 'admin', password: 'admin' }, OK],
  ['#2 success, SASL only (scram_sha512)', APACHE, { sasl: 'scram_sha512', username: 'admin', password: 'admin' }, OK],
  ['#3 success, TLS only', APACHE, { tls: 'enable', ...PEM }, TLS],
  ['#4 success, TLS cert/key and assumed public CA', APACHE, { tls: 'enable', cert: 'ceert', key: 'keey' }, TLS],
  ['#5 success, TLS cert/key + key password and assumed public CA', APACHE, { tls: 'enable', cert: 'ceert', key: 'keey', keyPassword: 'keeyPassword' }, TLS],
  ['#6 success, TLS CA only', APACHE, { tls: 'enable', ca: 'caaa' }, TLS],
  ['#7 success, SASL + TLS', APACHE, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'enable', ...PEM }, TLS],
  ['#8 success, SASL + TLS explicitly disabled', APACHE, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'disable' }, OK],
  ['#9 failure, SASL incorrect type', APACHE, { sasl: 'foo', username: 'admin', password: 'admin' }, 'error'],
  ['#10 failure, SASL missing username', APACHE, { sasl: 'plaintext', password: 'admin' }, 'error'],
  ['#11 failure, SASL missing password', APACHE, { sasl: 'plaintext', username: 'admin' }, 'error'],
  ['#12 failure, TLS missing cert', APACHE, { tls: 'enable', ca: 'caaa', key: 'keey' }, 'error'],
  ['#13 failure, TLS missing key', APACHE, { tls: 'enable', ca: 'caaa', cert: 'ceert' }, 'error'],
  ['#14 failure, TLS invalid', APACHE, { tls: 'yes', ...PEM }, 'error'],
  ['#15 failure, SASL + TLS, incorrect sasl', APACHE, { sasl: 'foo', username: 'admin', password: 'admin', tls: 'enable', ...PEM }, 'error'],
  ['#16 failure, SASL + TLS, incorrect tls', APACHE, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'foo', ...PEM }, 'error'],
  ['#17 failure, SASL + TLS, missing username', APACHE, { sasl: 'plaintext', password: 'admin', tls: 'enable', ...PEM }, 'error'],
  ['#18 failure, SASL + TLS, missing password', APACHE, { sasl: 'plaintext', username: 'admin', tls: 'enable', ...PEM }, 'error'],
  ['#19 failure, SASL + TLS, missing cert', APACHE, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'enable', ca: 'caaa', key: 'keey' }, 'error'],
  ['#20 failure, SASL + TLS, missing key', APACHE, { sasl: 'plaintext', username: 'admin', password: 'admin', tls: 'enable', ca: 'caaa', cert: 'ceert' }, 'error'],
];

const APACHE_SO_ROWS: readonly Row[] = [
  ['success, SASL plaintext', { ...APACHE_SO, sasl: 'plaintext' }, { username: 'admin', password: 'admin' }, OK],
  ['success, SASL scram_sha256', { ...APACHE_SO, sasl: 'scram_sha256' }, { username: 'admin', password: 'admin' }, OK],
  ['success, TLS only', { ...APACHE_SO, tls: 'enable' }, PEM, TLS],
  ['failure, SASL incorrect type', { ...APACHE_SO, sasl: 'foo' }, { username: 'admin', password: 'admin' }, 'error'],
  ['failure, TLS invalid', { ...APACHE_SO, tls: 'random' }, PEM, 'error'],
  ['failure, SASL + TLS, missing key', { ...APACHE_SO, sasl: 'plaintext', tls: 'enable' }, { sasl: 'plaintext', username: 'admin', password: 'admin', ca: 'caaa', cert: 'ceert' }, 'error'],
  ['failure, setting SASL values in both places', { ...APACHE_SO, sasl: 'scram_sha512' }, { sasl: 'scram_sha512', username: 'admin', password: 'admin' }, 'error'],
  ['failure, setting TLS values in both places', { ...APACHE_SO, tls: 'enable' }, { tls: 'enable', ...PEM }, 'error'],
  ['success, setting SASL plaintext value with extra \\n in TriggerAuthentication', APACHE_SO, { sasl: 'plaintext\n', username: 'admin', password: 'admin' }, OK],
  ['success, setting SASL scram_sha256 value with extra space in TriggerAuthentication', APACHE_SO, { sasl: 'scram_sha256 ', username: 'admin', password: 'admin' }, OK],
  ['success, setting SASL aws_msk_iam with tls enabled and passing credentials', { ...APACHE_SO, awsRegion: 'us-east-1' }, { tls: 'enable', sasl: 'aws_msk_iam', awsAccessKeyID: 'none', awsSecretAccessKey: 'none' }, TLS],
  ['failure, setting SASL aws_msk_iam with tls enabled and missing awsRegion', APACHE_SO, { tls: 'enable', sasl: 'aws_msk_iam', awsAccessKeyID: 'none', awsSecretAccessKey: 'none' }, 'error'],
  ['failure, setting SASL aws_msk_iam with tls disabled', { ...APACHE_SO, awsRegion: 'us-east-1' }, { sasl: 'aws_msk_iam', awsAccessKeyID: 'none', awsSecretAccessKey: 'none' }, 'error'],
  ['failure, setting SASL aws_msk_iam without awsSecretAccessKey', { ...APACHE_SO, awsRegion: 'us-east-1' }, { tls: 'enable', sasl: 'aws_msk_iam', awsAccessKeyID: 'none' }, 'error'],
  ['failure, setting SASL aws_msk_iam without awsAccessKeyID', { ...APACHE_SO, awsRegion: 'us-east-1' }, { tls: 'enable', sasl: 'aws_msk_iam', awsSecretAccessKey: 'none' }, 'error'],
];

/** LPA's expected outcome is KEDA's unless the row says otherwise. */
const cases = (rows: readonly Row[]) => rows.map(([name, metadata, authParams, keda, lpa]) => ({ name, metadata, authParams, expected: lpa ?? keda }));

const check =
  (type: 'kafka' | 'apache-kafka') =>
  ({ metadata, authParams, expected }: ReturnType<typeof cases>[number]) => {
    expect(outcome(type, metadata, authParams)).toEqual(expected);
  };

describe('Function: resolveConnection (kafka, KEDA parseKafkaAuthParamsTestDataset)', () => {
  it.each(cases(KAFKA_AUTH_ROWS))('$name', check('kafka'));
});

describe('Function: resolveConnection (kafka, KEDA parseAuthParamsTestDataset)', () => {
  it.each(cases(KAFKA_SO_ROWS))('$name', check('kafka'));
});

describe('Function: resolveConnection (kafka, KEDA parseKafkaOAuthbearerAuthParamsTestDataset, MSK rows)', () => {
  it.each(cases(KAFKA_MSK_ROWS))('$name', check('kafka'));
});

describe('Function: resolveConnection (apache-kafka, KEDA parseApacheKafkaAuthParamsTestDataset)', () => {
  it.each(cases(APACHE_AUTH_ROWS))('$name', check('apache-kafka'));
});

describe('Function: resolveConnection (apache-kafka, KEDA parseApacheKafkaAuthParamsTestDataset2)', () => {
  it.each(cases(APACHE_SO_ROWS))('$name', check('apache-kafka'));
});

describe('Function: resolveConnection (what the connection carries)', () => {
  const apache = (metadata: Record<string, string>) => {
    const parsed = parseScaledObject(manifest((m) => (m.spec.triggers = [{ type: 'apache-kafka', metadata: { ...APACHE_SO, ...metadata } }])));
    if (!parsed.ok) throw new Error('fixture must validate');
    return parsed.scaledObject.spec.triggers[0] as ApacheKafkaTrigger;
  };

  it('signs MSK IAM with the function\'s own role when the TriggerAuthentication has no role or keys', () => {
    expect(resolveConnection(apache({ sasl: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' }))).toEqual({
      ok: true,
      connection: { brokers: ['foobar:9092'], tls: {}, sasl: { mechanism: 'AWS_MSK_IAM', region: 'eu-west-1', credentials: { kind: 'function' } } },
    });
  });

  it('assumes the TriggerAuthentication\'s awsRoleArn for MSK IAM', () => {
    const result = resolveConnection(apache({ sasl: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' }), { awsRoleArn: 'arn:aws:iam::123456789012:role/msk-reader' });
    expect(result).toMatchObject({ ok: true, connection: { sasl: { credentials: { kind: 'role', roleArn: 'arn:aws:iam::123456789012:role/msk-reader' } } } });
  });

  it('passes the key password to TLS as its passphrase', () => {
    const result = resolveConnection(apache({ tls: 'enable' }), { cert: 'C', key: 'K', keyPassword: 'P' });
    expect(result).toMatchObject({ ok: true, connection: { tls: { cert: 'C', key: 'K', passphrase: 'P' } } });
  });

  it('names the missing key without quoting any secret', () => {
    const result = resolveConnection(apache({ sasl: 'plaintext' }), { username: 'svc-lpa', password: '' });
    expect(result).toEqual({ ok: false, message: 'no password given: SASL PLAIN needs password in the TriggerAuthentication' });
  });
});
