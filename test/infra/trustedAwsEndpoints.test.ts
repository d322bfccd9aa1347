/**
 * The construct's `trustedAwsEndpoints`: synth refuses an untrusted `awsEndpoint` with the spec's
 * message, accepts a trusted one, and hands the same trust to the functions, which re-check
 * every manifest they are given.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { queueUrl, scaledObject, sqsTrigger, synthesize } from './fixtures.js';

const local = [scaledObject('w', 'jobs', [sqsTrigger(queueUrl('a'), { awsEndpoint: 'http://127.0.0.1:4566' })])];

describe('Construct: PodAutoscaler trustedAwsEndpoints', () => {
  it('fails synth on a plain-http awsEndpoint nobody trusted', () => {
    expect(() => synthesize({ manifests: local })).toThrow(
      "manifests[0]: spec.triggers[0].metadata.awsEndpoint: must be https: signed AWS requests carry the role's session token",
    );
  });

  it('fails synth on an https awsEndpoint outside AWS', () => {
    const manifests = [scaledObject('w', 'jobs', [sqsTrigger(queueUrl('a'), { awsEndpoint: 'https://metrics.example.com' })])];
    expect(() => synthesize({ manifests })).toThrow('must be an AWS endpoint');
  });

  it('accepts a trusted host and passes the trust to the functions', () => {
    const { template } = synthesize({ manifests: local, trustedAwsEndpoints: ['http://127.0.0.1', 'localstack.internal'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LPA_TRUSTED_AWS_ENDPOINTS: 'http://127.0.0.1,localstack.internal' }) },
    });
  });

  it('leaves LPA_TRUSTED_AWS_ENDPOINTS unset when nothing is trusted', () => {
    const functions = Object.values(synthesize().template.findResources('AWS::Lambda::Function'));
    expect(functions.map((fn) => fn.Properties.Environment.Variables)).not.toContainEqual(expect.objectContaining({ LPA_TRUSTED_AWS_ENDPOINTS: expect.anything() }));
  });

  it('refuses a trust entry that is not a host', () => {
    expect(() => synthesize({ trustedAwsEndpoints: ['http://127.0.0.1:4566'] })).toThrow(
      'trustedAwsEndpoints[0]: "http://127.0.0.1:4566" must be a host name or IP address',
    );
  });
});
