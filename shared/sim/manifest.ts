/**
 * The ScaledObject a simulation runs: the first ScaledObject of a YAML stream, read by the same
 * loader as `lpa validate`, so a manifest simulates exactly when it would deploy. Issues come back
 * as `source:line: path: message` lines, ready to print.
 */
import { formatIssue } from '../errors.js';
import { loadScaledObjects } from '../spec/index.js';
import type { ScaledObject } from '../spec/types.js';

type ManifestResult =
  | { readonly ok: true; readonly scaledObject: ScaledObject; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly messages: readonly string[]; readonly warnings: readonly string[] };

/**
 * Loads the first ScaledObject in `text`. Other kinds are skipped (their warnings kept); more
 * than one ScaledObject is a warning, since a simulation follows one target.
 *
 * @example
 * const m = loadManifest(await readFile('so.yaml', 'utf8'), 'so.yaml');
 * if (m.ok) runSimulation({ scaledObject: m.scaledObject, … });
 */
const loadManifest = (text: string, source: string): ManifestResult => {
  const documents = loadScaledObjects(text, source);
  const warnings = documents.flatMap((d) => d.result.warnings.map(formatIssue));
  const scaledObjects = documents.flatMap((d) => ('skipped' in d.result ? [] : [d.result]));
  const first = scaledObjects[0];
  if (first === undefined) return { ok: false, messages: [`${source}: no ScaledObject to simulate`], warnings };
  if (!first.ok) return { ok: false, messages: first.issues.map(formatIssue), warnings };
  if (scaledObjects.length > 1) {
    const name = first.scaledObject.metadata.name;
    warnings.push(`${source}: ${scaledObjects.length} ScaledObjects; simulating the first (${name})`);
  }
  return { ok: true, scaledObject: first.scaledObject, warnings };
};

export { loadManifest };
export type { ManifestResult };
