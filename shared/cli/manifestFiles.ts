/** The ScaledObjects (and TriggerAuthentications) of the files a command is given, every problem reported as `lpa validate` words it. */
import { errorMessage, formatIssue } from '../errors.js';
import { loadDocuments } from '../spec/index.js';
import type { ScaledObject, TriggerAuthentication, Trust } from '../spec/index.js';
import type { CliIO } from './io.js';

interface ManifestFiles {
  readonly objects: ScaledObject[];
  readonly authentications: TriggerAuthentication[];
}

/** A manifest file's text within the input limit (`-` is standard input), or undefined once the reason is on stderr. */
const readManifestFile = async (command: string, io: CliIO, file: string): Promise<{ readonly source: string; readonly text: string } | undefined> => {
  const source = file === '-' ? '<stdin>' : file;
  try {
    return { source, text: await io.readFile(file, { limited: true }) };
  } catch (error) {
    io.stderr(`lpa ${command}: cannot read ${source}: ${errorMessage(error)}`);
    return undefined;
  }
};

/** The valid ScaledObjects and (Cluster)TriggerAuthentications, or false once any file is unreadable or any document invalid (reported on stderr). */
const loadManifestFiles = async (command: string, io: CliIO, files: readonly string[], trust?: Trust): Promise<ManifestFiles | false> => {
  const objects: ScaledObject[] = [];
  const authentications: TriggerAuthentication[] = [];
  let failed = false;
  for (const file of files) {
    const read = await readManifestFile(command, io, file);
    if (read === undefined) {
      failed = true;
      continue;
    }
    const { source, text } = read;
    for (const { result } of loadDocuments(text, source, trust)) {
      if ('skipped' in result) continue;
      if (!result.ok) {
        failed = true;
        for (const issue of result.issues) io.stderr(formatIssue(issue));
      } else if ('authentication' in result) authentications.push(result.triggerAuthentication);
      else objects.push(result.scaledObject);
    }
  }
  return failed ? false : { objects, authentications };
};

export { loadManifestFiles, readManifestFile };
export type { ManifestFiles };
