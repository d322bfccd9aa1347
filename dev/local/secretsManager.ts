/**
 * A local AWS Secrets Manager GetSecretValue for tests and demos: a node:http server on 127.0.0.1
 * (a random port) speaking AWS JSON 1.1 (`X-Amz-Target: secretsmanager.GetSecretValue`), reached
 * through the SDK's endpoint configuration (`AWS_ENDPOINT_URL_SECRETS_MANAGER`).
 *
 * Secrets are found by name or by ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6
 * chars>`); `put` adds a version that becomes AWSCURRENT (the previous one AWSPREVIOUS), as a
 * rotation does; VersionId and VersionStage select a version. Errors are the service's:
 * ResourceNotFoundException, and AccessDeniedException for a secret a test denied to an access
 * key. Every call is recorded with the access key that signed it (from the SigV4 header).
 *
 * @example
 * const secretsManager = await startSecretsManager();
 * secretsManager.put('newrelic/keys', JSON.stringify({ apiKey: 'NRAK-…' }));
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http.js';

const TARGET = 'secretsmanager.GetSecretValue';
const ACCESS_KEY = /Credential=([^/]+)\//;
const ACCOUNT = '123456789012';

interface SecretVersion {
  readonly versionId: string;
  readonly secretString: string;
  stages: string[];
  readonly createdAt: number;
}

interface GetSecretValueCall {
  readonly secretId: unknown;
  readonly versionId?: unknown;
  readonly versionStage?: unknown;
  readonly accessKeyId: string | undefined;
}

interface LocalSecretsManager {
  readonly endpoint: string;
  readonly calls: readonly GetSecretValueCall[];
  /** Adds a version of `name` (creating the secret) that becomes AWSCURRENT; returns its ARN. */
  put(name: string, secretString: string): string;
  /** Deletes a secret (later calls get ResourceNotFoundException). */
  remove(name: string): void;
  /** Refuses GetSecretValue on `name` to calls signed by `accessKeyId`. */
  deny(name: string, accessKeyId: string): void;
  close(): Promise<void>;
}

const send = (response: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
  response.end(text);
};

const awsError = (response: ServerResponse, type: string, message: string): void => send(response, 400, { __type: type, Message: message });

const startSecretsManager = async (region = 'eu-west-1'): Promise<LocalSecretsManager> => {
  const secrets = new Map<string, { arn: string; versions: SecretVersion[] }>();
  const denied = new Set<string>();
  const calls: GetSecretValueCall[] = [];
  let clock = 0;

  const find = (secretId: string) => secrets.get(secretId) ?? [...secrets.values()].find((secret) => secret.arn === secretId);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.headers['x-amz-target'] !== TARGET) return awsError(response, 'UnknownOperationException', 'This stand-in answers GetSecretValue only');
    const accessKeyId = ACCESS_KEY.exec(String(request.headers.authorization ?? ''))?.[1];
    if (accessKeyId === undefined) return awsError(response, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    let input: { SecretId?: unknown; VersionId?: unknown; VersionStage?: unknown };
    try {
      input = JSON.parse(await readBody(request)) as typeof input;
    } catch {
      return awsError(response, 'SerializationException', 'Malformed JSON body');
    }
    calls.push({ secretId: input.SecretId, versionId: input.VersionId, versionStage: input.VersionStage, accessKeyId });
    if (typeof input.SecretId !== 'string' || input.SecretId === '') return awsError(response, 'InvalidParameterException', 'SecretId is required');
    const secret = find(input.SecretId);
    if (secret === undefined) return awsError(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (denied.has(`${accessKeyId}\n${secret.arn}`)) {
      return awsError(response, 'AccessDeniedException', `User: ${accessKeyId} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${input.SecretId}`);
    }
    const stage = typeof input.VersionStage === 'string' ? input.VersionStage : input.VersionId === undefined ? 'AWSCURRENT' : undefined;
    const version = secret.versions.find((v) => (input.VersionId === undefined || v.versionId === input.VersionId) && (stage === undefined || v.stages.includes(stage)));
    if (version === undefined) return awsError(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId or VersionStage");
    return send(response, 200, {
      ARN: secret.arn,
      Name: secret.arn.split(':secret:')[1]?.slice(0, -7),
      VersionId: version.versionId,
      SecretString: version.secretString,
      VersionStages: version.stages,
      CreatedDate: version.createdAt,
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => awsError(response, 'InternalServiceError', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    put: (name, secretString) => {
      const secret = secrets.get(name) ?? { arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`, versions: [] };
      for (const version of secret.versions) version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
      secret.versions.push({ versionId: randomUUID(), secretString, stages: ['AWSCURRENT'], createdAt: ++clock });
      secrets.set(name, secret);
      return secret.arn;
    },
    remove: (name) => void secrets.delete(name),
    deny: (name, accessKeyId) => {
      const arn = secrets.get(name)?.arn;
      if (arn !== undefined) denied.add(`${accessKeyId}\n${arn}`);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
};

export { startSecretsManager };
export type { GetSecretValueCall, LocalSecretsManager };
