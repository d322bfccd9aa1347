import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../shared/cli/io.js';
import { createTokenCommand } from '../../../shared/cli/token.js';

const SIGNED_AT = Date.parse('2026-11-23T10:00:00Z');
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==',
};

const fakeIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readFile: async () => '',
    writeFile: async () => undefined,
  };
  return { io, out, err };
};

describe('Command: lpa token', () => {
  it('prints the ExecCredential aws-cli prints for the same credentials and time', async () => {
    // Prepare: the same inputs as the aws-cli known answer in eksToken.test.ts.
    const { io, out, err } = fakeIo();
    const command = createTokenCommand({ credentials: async () => CREDENTIALS, now: () => SIGNED_AT });
    // Act
    const code = await command(['--cluster', 'demo-cluster', '--region', 'eu-west-1'], io);
    // Assess
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: {
        expirationTimestamp: '2026-11-23T10:14:00Z',
        token:
          'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwMjYxMTIzJTJGZXUtd2VzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjNUMTAwMDAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TZWN1cml0eS1Ub2tlbj1JUW9KYjNKcFoybHVYMlZqRVhBTVBMRSUyRnNlc3Npb24lMkJ0b2tlbiUzRCUzRCZYLUFtei1TaWduYXR1cmU9MWEwMDdiNjcwNzdiODI2MWFhYmRlZGRkM2M5YjgyMGFmNzk5MmY0ZTY1OThhODE1ZWQ2ODgyZWRhZjcxYjA4MA',
      },
    });
  });

  it('exits 2 naming the missing flag', async () => {
    const { io, err } = fakeIo();
    const code = await createTokenCommand({ credentials: async () => CREDENTIALS })(['--region', 'eu-west-1'], io);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('lpa token: --cluster is required');
  });

  it('exits 1 with the reason on standard error when there are no credentials', async () => {
    const { io, out, err } = fakeIo();
    const command = createTokenCommand({
      credentials: async () => {
        throw new Error('Could not load credentials from any providers');
      },
    });
    const code = await command(['--cluster', 'demo', '--region', 'eu-west-1'], io);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(['lpa token: could not load AWS credentials to sign the EKS token for cluster "demo": Could not load credentials from any providers']);
  });
});
