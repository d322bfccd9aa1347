/**
 * `lpa token`: prints the ExecCredential `aws eks get-token` prints, from the same token code the
 * Lambdas use, so a kubeconfig can check by hand what LPA sends. Printing the token on standard
 * output is the purpose; it never goes to standard error.
 */
import { TokenProvider, type CredentialsProvider } from '../kube/eksToken.js';
import { noPositionals, parseCommandArgs } from './args.js';
import type { Command } from './io.js';

const HELP = `usage: lpa token --cluster NAME [--region REGION]

Prints an ExecCredential (client.authentication.k8s.io/v1beta1) holding an EKS bearer token, the
same JSON as 'aws eks get-token', signed with the default AWS credential chain. No AWS call is made.
  --cluster NAME    EKS cluster name (the token works for this cluster only)
  --region REGION   the cluster's region (default: AWS_REGION, then AWS_DEFAULT_REGION)
Exit status: 0 on success, 1 when no token could be made, 2 on usage errors.`;

/** RFC 3339 without fractions, as aws-cli writes `expirationTimestamp`. */
const rfc3339Seconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const defaultRegion = (): string | undefined => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;

interface TokenCommandDeps {
  readonly credentials?: CredentialsProvider;
  readonly now?: () => number;
}

const createTokenCommand =
  (deps: TokenCommandDeps = {}): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs('token', HELP, args, io, { cluster: { type: 'string' }, region: { type: 'string' } });
    if ('exit' in parsed) return parsed.exit;
    const unexpected = noPositionals('token', HELP, parsed.positionals, io);
    if (unexpected !== undefined) return unexpected;
    const options = parsed.values;
    const region = options.region ?? defaultRegion();
    if (options.cluster === undefined || region === undefined) {
      io.stderr(`lpa token: ${options.cluster === undefined ? '--cluster' : '--region (or AWS_REGION)'} is required\n${HELP}`);
      return 2;
    }
    try {
      const provider = new TokenProvider({ cluster: options.cluster, region, credentials: deps.credentials, now: deps.now });
      const token = await provider.getToken();
      io.stdout(
        JSON.stringify({
          kind: 'ExecCredential',
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          spec: {},
          status: { expirationTimestamp: rfc3339Seconds(token.expiresAt), token: token.reveal() },
        }),
      );
      return 0;
    } catch (error) {
      io.stderr(`lpa token: ${(error as Error).message}`);
      return 1;
    }
  };

const tokenCommand: Command = createTokenCommand();

export { createTokenCommand, tokenCommand };
export type { TokenCommandDeps };
