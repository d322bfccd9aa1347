/**
 * One error scheme for LPA (Powertools style): a base class, subclasses that end in `Error`,
 * set `name` and forward `{ cause }` so the original failure is never lost.
 */
class LpaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LpaError';
  }
}

/** One broken rule in a manifest or an input document. */
interface ValidationIssue {
  /** Which document (file name, or `<stdin>`), and which document of a multi-document YAML stream (0-based). */
  readonly source: string;
  readonly documentIndex: number;
  /** Dotted path with indexes, e.g. `spec.triggers[1].metadata.queueLength`. Empty for the whole document. */
  readonly path: string;
  /** 1-based line in the YAML source, when known. */
  readonly line?: number;
  /** The rule that was broken, in words. */
  readonly message: string;
}

/** A manifest or input failed validation; `issues` lists every broken rule, not just the first. */
class ValidationError extends LpaError {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], options?: ErrorOptions) {
    super(issues.map(formatIssue).join('\n'), options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** A scalingModifiers formula that does not parse, names an unknown trigger or cannot be evaluated. */
class FormulaError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FormulaError';
  }
}

/** `source:line: path: message`, the shape compilers use, so editors can jump to it. */
const formatIssue = (issue: ValidationIssue): string => {
  const doc = issue.documentIndex > 0 ? ` (document ${issue.documentIndex + 1})` : '';
  const where = issue.line === undefined ? issue.source : `${issue.source}:${issue.line}`;
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${where}${doc}: ${path}${issue.message}`;
};

/** The message of anything thrown (an Error's, or its text), for reports and CLI output. */
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * `Code: message` of an AWS SDK error (`name` holds the service's error code, e.g. AccessDenied,
 * QueueDoesNotExist) or of a network error (`Error: connect ECONNREFUSED …`).
 */
const describeError = (error: unknown): string => {
  // Our own errors already read as a sentence (`AssumeRole arn:…: AccessDenied: …`).
  if (error instanceof LpaError) return error.message;
  if (error instanceof Error) {
    const message = error.message.trim();
    return message === '' || message === error.name ? error.name : `${error.name}: ${message}`;
  }
  return String(error);
};

export { LpaError, ValidationError, FormulaError, describeError, errorMessage, formatIssue };
export type { ValidationIssue };
