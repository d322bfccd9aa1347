/** The ScaledObjects of the files a command is given, every problem reported as `lpa validate` words it. */
import { errorMessage, formatIssue } from '../errors.js';
import { loadScaledObjects } from '../spec/index.js';
import type { ScaledObject, Trust } from '../spec/index.js';
import type { CliIO } from './io.js';

/** The valid ScaledObjects, or false once any file is unreadable or any document invalid (reported on stderr). */
const loadObjectFiles = async (command: string, io: CliIO, files: readonly string[], trust?: Trust): Promise<ScaledObject[] | false> => {
  const objects: ScaledObject[] = [];
  let failed = false;
  for (const file of files) {
    const source = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = await io.readFile(file, { limited: true });
    } catch (error) {
      io.stderr(`lpa ${command}: cannot read ${source}: ${errorMessage(error)}`);
      failed = true;
      continue;
    }
    for (const { result } of loadScaledObjects(text, source, trust)) {
      if ('skipped' in result) continue;
      if (result.ok) objects.push(result.scaledObject);
      else {
        failed = true;
        for (const issue of result.issues) io.stderr(formatIssue(issue));
      }
    }
  }
  return failed ? false : objects;
};

export { loadObjectFiles };
