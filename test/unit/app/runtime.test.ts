import { describe, expect, it } from 'vitest';
import { ConfigurationError, configFromEnv } from '../../../shared/app/runtime.js';

const TABLE = { LPA_TABLE_NAME: 'lpa-state' };

const thrown = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('configFromEnv', () => {
  it('reads every variable: group as JSON, TTL days as seconds', () => {
    // Act
    const group = { cluster: { name: 'demo', region: 'eu-west-1' }, scaledObjects: [{ kind: 'ScaledObject' }] };
    const config = configFromEnv({ LPA_TABLE_NAME: ' lpa-state ', LPA_SCALE_GROUP: JSON.stringify(group), LPA_CONCURRENCY: '8', LPA_DECISION_TTL_DAYS: '2' });

    // Assess: an invalid object inside a valid group is not a configuration error (it is reported per tick).
    expect(config).toEqual({ tableName: 'lpa-state', scaleGroup: group, concurrency: 8, decisionTtlSeconds: 172_800 });
  });

  it.each([
    { comment: 'unset', value: undefined },
    { comment: 'empty', value: '' },
    { comment: 'blank', value: '  ' },
  ])('leaves the optional variables out when $comment', ({ value }) => {
    // Act
    const config = configFromEnv({ ...TABLE, LPA_SCALE_GROUP: value, LPA_CONCURRENCY: value, LPA_DECISION_TTL_DAYS: value });

    // Assess
    expect(config).toEqual({ tableName: 'lpa-state', scaleGroup: undefined, concurrency: undefined, decisionTtlSeconds: undefined });
  });

  it.each([
    { comment: 'unset', env: {} },
    { comment: 'empty', env: { LPA_TABLE_NAME: '' } },
    { comment: 'blank', env: { LPA_TABLE_NAME: '   ' } },
  ])('refuses a missing table name ($comment), naming the variable', ({ env }) => {
    // Act
    const error = thrown(() => configFromEnv(env));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ name: 'ConfigurationError', message: 'environment variable LPA_TABLE_NAME is required (the state table)' });
  });

  it('reads the clusters whose endpoint and CA the function trusts from LPA_CLUSTERS', () => {
    const clusters = [{ name: 'demo', region: 'eu-west-1', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'LS0t' }];
    expect(configFromEnv({ ...TABLE, LPA_CLUSTERS: JSON.stringify(clusters) }).clusters).toEqual(clusters);
  });

  it.each([
    { comment: 'not JSON', value: '[{name: demo}]', problem: /^environment variable LPA_CLUSTERS is not valid JSON: / },
    { comment: 'an http endpoint', value: '[{"name":"demo","region":"eu-west-1","endpoint":"http://10.0.0.1","caData":"LS0t"}]', problem: /^environment variable LPA_CLUSTERS: \[0\]\.endpoint: must be an https URL$/ },
    { comment: 'a missing CA', value: '[{"name":"demo","region":"eu-west-1","endpoint":"https://10.0.0.1"}]', problem: /^environment variable LPA_CLUSTERS: \[0\]\.caData: / },
    { comment: 'an object, not a list', value: '{"name":"demo"}', problem: /^environment variable LPA_CLUSTERS: must be a list of \{name, region, endpoint, caData\}/ },
  ])('refuses LPA_CLUSTERS with $comment, naming the variable and the path', ({ value, problem }) => {
    const error = thrown(() => configFromEnv({ ...TABLE, LPA_CLUSTERS: value }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(problem);
  });

  it('refuses a scale group that is not JSON, naming the variable and keeping the parser error as cause', () => {
    // Act
    const error = thrown(() => configFromEnv({ ...TABLE, LPA_SCALE_GROUP: '{cluster: demo}' }));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^environment variable LPA_SCALE_GROUP is not valid JSON: /);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('refuses a scale group whose envelope is invalid, at init, naming the path', () => {
    const error = thrown(() => configFromEnv({ ...TABLE, LPA_SCALE_GROUP: '{"cluster":{"name":"demo"}}' }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('LPA_SCALE_GROUP is not a ScaleGroup: cluster.region');
  });

  it.each([
    { name: 'LPA_CONCURRENCY', value: '0' },
    { name: 'LPA_CONCURRENCY', value: '0x10' },
    { name: 'LPA_CONCURRENCY', value: '1.0' },
    { name: 'LPA_CONCURRENCY', value: '-4' },
    { name: 'LPA_CONCURRENCY', value: '2.5' },
    { name: 'LPA_CONCURRENCY', value: 'eight' },
    { name: 'LPA_DECISION_TTL_DAYS', value: '7d' },
    { name: 'LPA_DECISION_TTL_DAYS', value: '1e400' },
    { name: 'LPA_SHARD_SIZE', value: '0' },
  ])('refuses $name="$value", naming the variable, the rule and the value', ({ name, value }) => {
    // Act
    const error = thrown(() => configFromEnv({ ...TABLE, [name]: value }));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(`environment variable ${name} must be a positive integer, got "${value}"`);
  });

  it('fans out in shards of LPA_SHARD_SIZE to the function Lambda names in AWS_LAMBDA_FUNCTION_NAME', () => {
    expect(configFromEnv({ ...TABLE, LPA_SHARD_SIZE: '250', AWS_LAMBDA_FUNCTION_NAME: 'lpa-scaler' }).fanOut).toEqual({ shardSize: 250, functionName: 'lpa-scaler' });
  });

  it('does not fan out outside Lambda (no function to invoke) or without LPA_SHARD_SIZE', () => {
    expect(configFromEnv({ ...TABLE, LPA_SHARD_SIZE: '250' }).fanOut).toBeUndefined();
    expect(configFromEnv({ ...TABLE, AWS_LAMBDA_FUNCTION_NAME: 'lpa-scaler' }).fanOut).toBeUndefined();
  });

  it('reads the HPA controller flags, defaulting the one left unset to Kubernetes\' value', () => {
    expect(configFromEnv({ ...TABLE, LPA_CPU_INITIALIZATION_PERIOD_SECONDS: '120' }).controller).toEqual({ cpuInitializationPeriodSeconds: 120, initialReadinessDelaySeconds: 30 });
    expect(configFromEnv({ ...TABLE, LPA_INITIAL_READINESS_DELAY_SECONDS: '0' }).controller).toEqual({ cpuInitializationPeriodSeconds: 300, initialReadinessDelaySeconds: 0 });
    expect(configFromEnv(TABLE).controller).toBeUndefined();
  });

  it('refuses a controller flag that is not whole seconds', () => {
    const error = thrown(() => configFromEnv({ ...TABLE, LPA_INITIAL_READINESS_DELAY_SECONDS: '30s' }));
    expect((error as Error).message).toBe('environment variable LPA_INITIAL_READINESS_DELAY_SECONDS must be a non-negative integer, got "30s"');
  });
});
