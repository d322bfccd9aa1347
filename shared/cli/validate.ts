/**
 * `lpa validate FILE…`: check ScaledObject manifests the way `kubectl apply` + KEDA's webhook would,
 * before they reach a schedule. Output is compiler-shaped (`file:line: path: message`) so editors
 * and CI annotations can point at the line.
 */
import { formatIssue } from '../errors.js';
import type { ValidationIssue } from '../errors.js';
import { checkAuthenticationRefs } from '../spec/auth/references.js';
import { authenticationLabel, loadDocuments } from '../spec/index.js';
import type { ScaledObject, TriggerAuthentication, Trust } from '../spec/index.js';
import { locate } from '../spec/parse.js';
import type { PathSegment } from '../spec/issues.js';
import { parseCommandArgs, TRUST_FLAG, TRUST_HELP, trustOf } from './args.js';
import type { CliIO, Command } from './io.js';
import { readManifestFile } from './manifestFiles.js';

const HELP = `usage: lpa validate [--trust-aws-endpoint HOST]... FILE...

Validates KEDA ScaledObject and (Cluster)TriggerAuthentication manifests: YAML (several documents per file, or kubectl's 'kind: List') or
JSON, read as kubectl reads them; '-' reads standard input.
${TRUST_HELP}

Prints one "ok" line per valid ScaledObject, TriggerAuthentication or ClusterTriggerAuthentication on
standard output, and every error and warning on standard error as FILE:LINE: PATH: MESSAGE. A
ScaledObject's authenticationRef is checked against the TriggerAuthentications among the files (a
required parameter neither gives is an error). Documents of other kinds are skipped with a warning.
Exit status: 0 when every ScaledObject is valid; 1 on any error, an unreadable file, or when no
ScaledObject was found at all; 2 on usage errors.`;


/** Same document suffix as `formatIssue`, so ok lines and errors name documents alike. */
const documentLabel = (source: string, documentIndex: number): string =>
  documentIndex > 0 ? `${source} (document ${documentIndex + 1})` : source;

const okLine = (source: string, documentIndex: number, so: ScaledObject): string => {
  const triggers = so.spec.triggers;
  const count = `${triggers.length} trigger${triggers.length === 1 ? '' : 's'}`;
  const types = triggers.map((trigger) => trigger.type).join(', ');
  return `ok  ${documentLabel(source, documentIndex)}: ${so.metadata.namespace}/${so.metadata.name} (${count}: ${types})`;
};

const printWarnings = (io: CliIO, warnings: readonly ValidationIssue[]): void => {
  for (const warning of warnings) io.stderr(`warning: ${formatIssue(warning)}`);
};

const authenticationOkLine = (source: string, documentIndex: number, auth: TriggerAuthentication): string => {
  const sources = [
    ...(auth.spec.podIdentity === undefined ? [] : ['podIdentity']),
    ...(auth.spec.secretTargetRef.length === 0 ? [] : ['secretTargetRef']),
    ...(auth.spec.awsSecretManager === undefined ? [] : ['awsSecretManager']),
  ];
  return `ok  ${documentLabel(source, documentIndex)}: ${authenticationLabel(auth)} (${sources.length === 0 ? 'no sources' : sources.join(', ')})`;
};

/** A valid ScaledObject, kept until every file is read so its references can be checked. */
interface Checked {
  readonly source: string;
  readonly documentIndex: number;
  readonly scaledObject: ScaledObject;
  readonly lineOf?: (path: readonly PathSegment[]) => number | undefined;
}

interface Tally {
  scaledObjects: number;
  failed: boolean;
  readonly checked: Checked[];
  readonly authentications: TriggerAuthentication[];
}

const validateText = (io: CliIO, text: string, source: string, trust: Trust, tally: Tally): void => {
  for (const { documentIndex, result, lineOf } of loadDocuments(text, source, trust)) {
    if ('skipped' in result) {
      printWarnings(io, result.warnings);
      continue;
    }
    if ('authentication' in result) {
      if (result.ok) {
        tally.authentications.push(result.triggerAuthentication);
        io.stdout(authenticationOkLine(source, documentIndex, result.triggerAuthentication));
      }
    } else {
      tally.scaledObjects += 1;
      if (result.ok) {
        tally.checked.push({ source, documentIndex, scaledObject: result.scaledObject, ...(lineOf === undefined ? {} : { lineOf }) });
        io.stdout(okLine(source, documentIndex, result.scaledObject));
      }
    }
    if (!result.ok) {
      tally.failed = true;
      for (const issue of result.issues) io.stderr(formatIssue(issue));
    }
    printWarnings(io, result.warnings);
  }
};

/** Every ScaledObject's authenticationRefs against the TriggerAuthentications of all files. */
const checkReferences = (io: CliIO, tally: Tally): void => {
  for (const { source, documentIndex, scaledObject, lineOf } of tally.checked) {
    const { issues, warnings } = checkAuthenticationRefs(scaledObject, tally.authentications);
    const context = { source, documentIndex, ...(lineOf === undefined ? {} : { lineOf }) };
    for (const issue of locate(issues, context)) io.stderr(formatIssue(issue));
    printWarnings(io, locate(warnings, context));
    if (issues.length > 0) tally.failed = true;
  }
};

const validateCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('validate', HELP, args, io, TRUST_FLAG);
  if ('exit' in parsed) return parsed.exit;
  const trusted = trustOf('validate', HELP, parsed.values['trust-aws-endpoint'], io);
  if ('exit' in trusted) return trusted.exit;
  const files = parsed.positionals;
  if (files.length === 0) {
    io.stderr(`lpa validate: no FILE given\n${HELP}`);
    return 2;
  }

  const tally: Tally = { scaledObjects: 0, failed: false, checked: [], authentications: [] };
  for (const file of files) {
    const read = await readManifestFile('validate', io, file);
    if (read === undefined) tally.failed = true;
    else validateText(io, read.text, read.source, trusted.trust, tally);
  }
  checkReferences(io, tally);
  // A run that checked nothing must not look like a pass (e.g. a Deployment file given by mistake).
  if (tally.scaledObjects === 0 && tally.authentications.length === 0 && !tally.failed) {
    io.stderr(`lpa validate: no ScaledObject found in ${files.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}`);
    return 1;
  }
  return tally.failed ? 1 : 0;
};

export { validateCommand };
