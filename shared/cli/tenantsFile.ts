/**
 * `--tenants FILE` (lpa run, lpa rbac): the cluster source's tenancy in a YAML or JSON file, the same
 * shape as the construct's `source.fromCluster.tenants` (README, "Tenancy"), checked with the same
 * schema; every problem is reported as `FILE: <path>: <rule>`.
 */
import { parse } from 'yaml';
import { tenancySchema, type Tenancy } from '../access/tenancy.js';
import { errorMessage } from '../errors.js';
import type { CliIO } from './io.js';
import { readManifestFile } from './manifestFiles.js';

/** The tenancy of the file, or false once its problems are on stderr. */
const loadTenantsFile = async (command: string, io: CliIO, file: string): Promise<Tenancy | false> => {
  const read = await readManifestFile(command, io, file);
  if (read === undefined) return false;
  let document: unknown;
  try {
    document = parse(read.text);
  } catch (error) {
    io.stderr(`lpa ${command}: ${read.source}: not YAML or JSON: ${errorMessage(error)}`);
    return false;
  }
  const parsed = tenancySchema().safeParse(document);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) io.stderr(`lpa ${command}: ${read.source}: ${issue.path.map(String).join('.') || '<document>'}: ${issue.message}`);
  return false;
};

export { loadTenantsFile };
