/**
 * A local STS AssumeRole for tests and demos: a node:http server on 127.0.0.1 (a random port)
 * speaking the query protocol (form-encoded POST, XML response), which is what @aws-sdk/client-sts
 * sends. Point clients at it with `AWS_ENDPOINT_URL_STS` (or the `endpoint` option).
 *
 * Each AssumeRole returns fresh temporary credentials (`ASIA…`) that expire DurationSeconds after
 * the injected clock's now, and is recorded with the role, session name and the access key that
 * signed it. Roles can be denied to test failures. Secrets here are random and local only.
 *
 * @example
 * const sts = await startSts({ clock: () => fakeNow });
 * vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.endpoint);
 * // … sts.calls.length
 * await sts.close();
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const DEFAULT_DURATION_SECONDS = 3600; // STS default: 1 hour
const ACCESS_KEY = /Credential=([^/]+)\//;
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

interface AssumeRoleCall {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** The access key that signed the request (the base credentials). */
  readonly callerAccessKeyId: string;
  /** The access key handed out. */
  readonly issuedAccessKeyId?: string;
}

interface LocalStsOptions {
  /** Clock for Expiration. Default `Date.now`. */
  readonly clock?: () => number;
}

interface LocalSts {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every AssumeRole request, denied ones included. */
  readonly calls: readonly AssumeRoleCall[];
  /** AssumeRole of this role answers 403 AccessDenied from now on. */
  denyRole(roleArn: string): void;
  /** The secret and session token handed out with an access key (so other stand-ins can verify signatures made with them). */
  issued(accessKeyId: string): { readonly secretAccessKey: string; readonly sessionToken: string; readonly roleArn: string } | undefined;
  /** Forgets recorded calls and denied roles. */
  reset(): void;
  close(): Promise<void>;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

const sendXml = (res: ServerResponse, status: number, body: string): void => {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
};

const sendError = (res: ServerResponse, status: number, code: string, message: string): void =>
  sendXml(
    res,
    status,
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );

interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly roleArn: string;
}

const assumeRoleXml = ({ roleArn, accessKeyId, secretAccessKey, sessionToken }: IssuedCredentials, sessionName: string, expiration: Date): string => {
  const [, , , , account = '000000000000', resource = 'role/unknown'] = roleArn.split(':');
  const roleName = resource.split('/').pop() ?? 'unknown';
  return [
    `<AssumeRoleResponse xmlns="${NAMESPACE}"><AssumeRoleResult>`,
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId>`,
    `<SecretAccessKey>${escapeXml(secretAccessKey)}</SecretAccessKey>`,
    `<SessionToken>${escapeXml(sessionToken)}</SessionToken>`,
    `<Expiration>${expiration.toISOString()}</Expiration></Credentials>`,
    `<AssumedRoleUser><AssumedRoleId>AROALOCAL:${escapeXml(sessionName)}</AssumedRoleId>`,
    `<Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName)}/${escapeXml(sessionName)}</Arn></AssumedRoleUser>`,
    `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  ].join('');
};

const startSts = async (options: LocalStsOptions = {}): Promise<LocalSts> => {
  const clock = options.clock ?? Date.now;
  const calls: AssumeRoleCall[] = [];
  const denied = new Set<string>();
  const credentials = new Map<string, IssuedCredentials>();
  let issued = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = await readForm(req);
    const callerAccessKeyId = ACCESS_KEY.exec(String(req.headers.authorization ?? ''))?.[1];
    if (callerAccessKeyId === undefined) return sendError(res, 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    if (form.get('Action') !== 'AssumeRole') return sendError(res, 400, 'InvalidAction', `only AssumeRole is served here, got ${form.get('Action') ?? 'none'}`);
    const roleArn = form.get('RoleArn') ?? '';
    const roleSessionName = form.get('RoleSessionName') ?? '';
    const durationSeconds = Number(form.get('DurationSeconds') ?? DEFAULT_DURATION_SECONDS);
    const call = { roleArn, roleSessionName, durationSeconds, callerAccessKeyId };
    if (denied.has(roleArn)) {
      calls.push(call);
      return sendError(res, 403, 'AccessDenied', `User: ${callerAccessKeyId} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
      calls.push(call);
      return sendError(res, 400, 'ValidationError', `RoleSessionName "${roleSessionName}" must match [\\w+=,.@-]{2,64}`);
    }
    issued += 1;
    const issuedAccessKeyId = `ASIALOCAL${String(issued).padStart(8, '0')}`;
    calls.push({ ...call, issuedAccessKeyId });
    const handedOut = { accessKeyId: issuedAccessKeyId, secretAccessKey: randomBytes(30).toString('base64'), sessionToken: randomBytes(60).toString('base64'), roleArn };
    credentials.set(issuedAccessKeyId, handedOut);
    return sendXml(res, 200, assumeRoleXml(handedOut, roleSessionName, new Date(clock() + durationSeconds * 1000)));
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    denyRole: (roleArn) => void denied.add(roleArn),
    issued: (accessKeyId) => credentials.get(accessKeyId),
    reset: () => {
      calls.length = 0;
      denied.clear();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};

export { startSts };
export type { AssumeRoleCall, LocalStsOptions, LocalSts };
