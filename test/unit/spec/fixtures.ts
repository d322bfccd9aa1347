/**
 * Manifests built in code for the spec tests: a valid base per trigger type that each test
 * changes in one place, so a failure points at that one change.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ValidationIssue } from '../../../shared/errors.js';
import type { ParseResult } from '../../../shared/spec/index.js';
import type { ScaledObject } from '../../../shared/spec/types.js';

// `any`: the tests poke at raw manifests, including into shapes the schema must reject.
type Json = Record<string, any>;

const sqsTriggerJson = (metadata: Json = {}): Json => ({
  type: 'aws-sqs-queue',
  metadata: { queueURL: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders', awsRegion: 'us-east-1', ...metadata },
});

const cloudwatchTriggerJson = (metadata: Json = {}): Json => ({
  type: 'aws-cloudwatch',
  metadata: {
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensionName: 'QueueName',
    dimensionValue: 'orders',
    targetMetricValue: '100',
    minMetricValue: '0',
    awsRegion: 'us-east-1',
    ...metadata,
  },
});

const cronTriggerJson = (metadata: Json = {}): Json => ({
  type: 'cron',
  metadata: { timezone: 'Asia/Seoul', start: '0 9 * * *', end: '0 18 * * *', desiredReplicas: '2', ...metadata },
});

/** A valid ScaledObject with one SQS trigger; `edit` changes a fresh copy. */
const manifest = (edit: (so: Json) => void = () => {}): Json => {
  const so: Json = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'orders-worker', namespace: 'shop' },
    spec: { scaleTargetRef: { name: 'orders-worker' }, triggers: [sqsTriggerJson()] },
  };
  edit(so);
  return so;
};

/** The ScaledObject of a result that must be valid (fails the test with the issues otherwise). */
const valid = (result: ParseResult): ScaledObject => {
  if (!result.ok) expect.fail(`expected a valid ScaledObject, got:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return result.scaledObject;
};

/** The issues of a result that must be invalid. */
const issuesOf = (result: ParseResult): ValidationIssue[] => {
  if (result.ok) return expect.fail('expected validation issues, the manifest was valid');
  return result.issues;
};

/** Exactly one issue, at `path`, whose message contains `fragment`. */
const expectOneIssue = (result: ParseResult, path: string, fragment: string): ValidationIssue => {
  const issues = issuesOf(result);
  expect(issues.map((i) => [i.path, i.message])).toEqual([[path, expect.stringContaining(fragment)]]);
  return issues[0] as ValidationIssue;
};

const FIXTURES = fileURLToPath(new URL('../../fixtures/manifests/', import.meta.url));
const readFixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');

/** 1-based line of the first line of `text` that contains `needle`: expected lines are found, not counted by hand. */
const lineContaining = (text: string, needle: string, from = 1): number => {
  const index = text.split('\n').findIndex((line, i) => i + 1 >= from && line.includes(needle));
  if (index < 0) throw new Error(`fixture has no line containing ${JSON.stringify(needle)}`);
  return index + 1;
};

export {
  cloudwatchTriggerJson,
  cronTriggerJson,
  expectOneIssue,
  FIXTURES,
  issuesOf,
  lineContaining,
  manifest,
  readFixture,
  sqsTriggerJson,
  valid,
};
export type { Json };
