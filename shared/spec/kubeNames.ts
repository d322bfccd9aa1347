/**
 * Kubernetes' own rules for names, as the API server applies them (apimachinery
 * `pkg/util/validation/validation.go`, `pkg/api/validation/objectmeta.go`), so a manifest LPA
 * accepts is one `kubectl apply` accepts too:
 * - custom-resource object names (a ScaledObject's) and most workload names: DNS-1123 subdomain
 *   (apiextensions-apiserver validates custom resources with `NameIsDNSSubdomain`);
 * - namespaces: DNS-1123 label;
 * - label keys and annotation keys: qualified names (`[prefix/]name`); label values.
 * Each check returns the broken rule in the API server's words, or undefined when the text is valid.
 */
import * as z from 'zod';
import { quote } from './echo.js';
import { describeValue } from './metadataValues.js';

const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const QUALIFIED_NAME_MAX = 63;
const LABEL_VALUE_MAX = 63;
/** `TotalAnnotationSizeLimitB`: keys and values of all annotations together. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const tooLong = (max: number, length: number): string => `must be no more than ${max} characters, got ${length}`;

const dns1123LabelProblem = (text: string): string | undefined => {
  if (text.length > DNS1123_LABEL_MAX) return tooLong(DNS1123_LABEL_MAX, text.length);
  return DNS1123_LABEL.test(text)
    ? undefined
    : "must be a lowercase RFC 1123 label: lower case alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'my-name')";
};

const dns1123SubdomainProblem = (text: string): string | undefined => {
  if (text.length > DNS1123_SUBDOMAIN_MAX) return tooLong(DNS1123_SUBDOMAIN_MAX, text.length);
  return DNS1123_SUBDOMAIN.test(text)
    ? undefined
    : "must be a lowercase RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'example.com')";
};

/** `IsQualifiedName`: `name` or `prefix/name`, the prefix a DNS subdomain (label and annotation keys). */
const qualifiedNameProblem = (text: string): string | undefined => {
  const parts = text.split('/');
  if (parts.length > 2) return "must be a qualified name: an optional DNS subdomain prefix and '/', then a name (e.g. 'example.com/my-key')";
  const name = parts.length === 2 ? (parts[1] as string) : text;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '') return 'prefix part must be non-empty';
    const problem = dns1123SubdomainProblem(prefix);
    if (problem !== undefined) return `prefix part ${problem}`;
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > QUALIFIED_NAME_MAX) return `name part ${tooLong(QUALIFIED_NAME_MAX, name.length)}`;
  return QUALIFIED_NAME.test(name)
    ? undefined
    : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
};

const labelValueProblem = (text: string): string | undefined => {
  if (text.length > LABEL_VALUE_MAX) return tooLong(LABEL_VALUE_MAX, text.length);
  return LABEL_VALUE.test(text)
    ? undefined
    : "must be empty or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character (e.g. 'MyValue' or 'my_value')";
};

/** A zod string checked by one of the rules above. */
const ruled = (problem: (text: string) => string | undefined) =>
  z.string().superRefine((text, ctx) => {
    const message = problem(text);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });

const dns1123Label = () => ruled(dns1123LabelProblem);
const dns1123Subdomain = () => ruled(dns1123SubdomainProblem);

/** kubectl refuses `paused: true` unquoted (labels and annotations are map[string]string); say how to fix it. */
const stringValue = () =>
  z.string({
    error: (issue) =>
      typeof issue.input === 'object' || issue.input === undefined
        ? `values must be strings, got ${describeValue(issue.input)}`
        : `values must be strings; quote it: ${quote(String(issue.input))}`,
  });

/** `ValidateLabels`: qualified-name keys, label values. */
const labels = () => z.record(ruled(qualifiedNameProblem), stringValue().pipe(ruled(labelValueProblem)));

/** `ValidateAnnotations`: keys are qualified names once lowercased; all of them at most 256 KiB. */
const annotations = () =>
  z.record(ruled((key) => qualifiedNameProblem(key.toLowerCase())), stringValue()).superRefine((map, ctx) => {
    const bytes = Object.entries(map).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    if (bytes > ANNOTATIONS_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', message: `must have at most ${ANNOTATIONS_MAX_BYTES} bytes in total (keys and values), got ${bytes}` });
    }
  });

export {
  annotations,
  dns1123Label,
  dns1123LabelProblem,
  dns1123Subdomain,
  dns1123SubdomainProblem,
  labels,
  labelValueProblem,
  qualifiedNameProblem,
};
