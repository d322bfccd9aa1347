/**
 * `cpu` and `memory` (KEDA `cpu_memory_scaler.go`): the reading is not a number but the target's
 * pods and their `metrics.k8s.io` PodMetrics, which the engine turns into the HPA's Resource
 * proposal. The request carries how to read them (`targetPods`), so the two list calls happen once
 * per object, whichever of its triggers asks first.
 */
import type { MetricReading } from '../engine/types.js';
import type { ResourceTrigger } from '../spec/types.js';
import { describeError, failedReading } from './errors.js';
import type { TriggerReader } from './types.js';

const createResourceReader = <T extends ResourceTrigger>(type: T['type']): TriggerReader<T> => ({
  type,
  read: (requests) =>
    Promise.all(
      requests.map(async (request): Promise<MetricReading> => {
        if (request.targetPods === undefined) return failedReading(request, `${type} needs the target's pods, and this evaluation cannot read them`);
        try {
          return await request.targetPods();
        } catch (error) {
          return failedReading(request, `reading the target's pods and PodMetrics: ${describeError(error)}`);
        }
      }),
    ),
});

export { createResourceReader };
