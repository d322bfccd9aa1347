/**
 * `lpa crds`: KEDA's CRDs, unchanged (crds/keda/, from KEDA v2.20.2), for clusters without KEDA, so
 * ScaledObjects can live in the cluster and `kubectl get so` shows READY, ACTIVE, FALLBACK, PAUSED.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { noPositionals, parseCommandArgs } from './args.js';
import type { Command } from './io.js';

const HELP = `usage: lpa crds

Prints KEDA's four CustomResourceDefinitions (keda.sh/v1alpha1 ScaledObject, ScaledJob,
TriggerAuthentication, ClusterTriggerAuthentication; KEDA v2.20.2, unchanged) as one YAML stream:
  lpa crds | kubectl apply --server-side -f -
(--server-side: the ScaledJob CRD is too large for a client-side apply.)`;

/** In the order a cluster needs them: authentications first, then what refers to them. */
const FILES = ['keda.sh_clustertriggerauthentications.yaml', 'keda.sh_triggerauthentications.yaml', 'keda.sh_scaledobjects.yaml', 'keda.sh_scaledjobs.yaml'];

const crdsDirectory = new URL('../../crds/keda/', import.meta.url);

/** The CRDs as one YAML stream, each document starting with `---`. */
const kedaCrdsYaml = async (): Promise<string> => {
  const documents = await Promise.all(FILES.map((file) => readFile(fileURLToPath(new URL(file, crdsDirectory)), 'utf8')));
  return documents.map((text) => (text.startsWith('---') ? text : `---\n${text}`)).join('');
};

const crdsCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('crds', HELP, args, io, {});
  if ('exit' in parsed) return parsed.exit;
  const unexpected = noPositionals('crds', HELP, parsed.positionals, io);
  if (unexpected !== undefined) return unexpected;
  io.stdout(await kedaCrdsYaml());
  return 0;
};

export { crdsCommand, kedaCrdsYaml };
