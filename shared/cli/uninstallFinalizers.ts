/**
 * `lpa uninstall-finalizers`: removes LPA's finalizer from every ScaledObject (of the namespaces given),
 * so removing LPA never leaves objects stuck Terminating. Other finalizers (KEDA's) stay.
 */
import { LPA_FINALIZER } from '../app/finalizer.js';
import { errorMessage } from '../errors.js';
import { createScaledObjectApi } from '../kube/scaledObjects.js';
import { CLUSTER_ACCESS_FLAGS, CLUSTER_ACCESS_HELP, clusterAccessOptions, clusterAccessProblem, connectCluster } from './clusterAccess.js';
import { noPositionals, parseCommandArgs } from './args.js';
import type { Command } from './io.js';

const HELP = `usage: lpa uninstall-finalizers (--cluster NAME [--region R] | --server URL --ca-file PEM) [--token T] [--namespace NS]...

Removes LPA's finalizer (${LPA_FINALIZER}) from every ScaledObject, or those of each --namespace NS.
Run it when removing LPA: objects deleted afterwards then go at once. Prints one line per object changed.
${CLUSTER_ACCESS_HELP}
  --namespace NS       only this namespace (repeatable; default all)
Exit status: 0 when every finalizer is gone, 1 when any removal failed, 2 on usage errors.`;

const uninstallFinalizersCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('uninstall-finalizers', HELP, args, io, { ...CLUSTER_ACCESS_FLAGS, namespace: { type: 'string', multiple: true } });
  if ('exit' in parsed) return parsed.exit;
  const unexpected = noPositionals('uninstall-finalizers', HELP, parsed.positionals, io);
  if (unexpected !== undefined) return unexpected;
  const options = clusterAccessOptions(parsed.values);
  const problem = clusterAccessProblem(options);
  if (problem !== undefined) {
    io.stderr(`lpa uninstall-finalizers: ${problem}\n${HELP}`);
    return 2;
  }
  const access = await connectCluster(options, {}, io);
  let failures = 0;
  try {
    const api = createScaledObjectApi(access.transport);
    const items = await api.list({ namespaces: parsed.values.namespace });
    for (const item of items.filter((i) => (i.metadata.finalizers ?? []).includes(LPA_FINALIZER))) {
      const label = `${item.metadata.namespace}/${item.metadata.name}`;
      try {
        await api.setFinalizers(item, (item.metadata.finalizers ?? []).filter((f) => f !== LPA_FINALIZER));
        io.stdout(`removed ${LPA_FINALIZER} from scaledobject ${label}`);
      } catch (error) {
        failures++;
        io.stderr(`lpa uninstall-finalizers: scaledobject ${label}: ${errorMessage(error)}`);
      }
    }
  } catch (error) {
    io.stderr(`lpa uninstall-finalizers: ${errorMessage(error)}`);
    return 1;
  } finally {
    await access.close();
  }
  return failures === 0 ? 0 : 1;
};

export { uninstallFinalizersCommand };
