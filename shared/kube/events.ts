/**
 * Kubernetes Events (events.k8s.io/v1) on a ScaledObject, with KEDA's reasons (DESIGN.md §1). Repeats
 * of one occurrence become one event series, as client-go's recorder makes them: the event's name is
 * derived from the object's uid and the occurrence's `seriesKey`, so a second POST finds it (409
 * AlreadyExists) and the recorder PATCHes `series` instead of creating one event a minute.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { KubeConflictError } from './errors.js';
import type { KubeTransport } from './transport.js';
import type { CallOptions } from './types.js';

interface EventTarget {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion?: string;
}

interface KedaEvent {
  readonly type: 'Normal' | 'Warning';
  /** KEDA's reason, e.g. `KEDAScaleTargetActivated`. */
  readonly reason: string;
  readonly note: string;
  /** Occurrences with the same key on the same object form one series (default: the reason). */
  readonly seriesKey?: string;
}

interface EventRecorder {
  /** The signal (the tick's budget) bounds every request of the occurrence: create, or read and count. */
  record(regarding: EventTarget, event: KedaEvent, options?: CallOptions): Promise<void>;
}

interface EventRecorderOptions {
  /** `reportingController` (a qualified name). */
  readonly controller?: string;
  /** `reportingInstance`, e.g. the function name. */
  readonly instance: string;
  readonly now?: () => number;
}

const eventSchema = builtOnce(() =>
  z.object({
    kind: z.literal('Event'),
    series: z.object({ count: z.number() }).optional(),
  }),
);

/** events.k8s.io `note` is at most 1 KB. */
const MAX_NOTE = 1024;

/** MicroTime: RFC 3339 with microseconds. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const eventName = (regarding: EventTarget, seriesKey: string): string =>
  `${regarding.name}.${createHash('sha256').update(`${regarding.uid}\n${seriesKey}`).digest('hex').slice(0, 16)}`;

const createEventRecorder = (transport: KubeTransport, options: EventRecorderOptions): EventRecorder => {
  const now = options.now ?? Date.now;
  return {
    record: async (regarding, event, callOptions) => {
      const signal = callOptions?.signal;
      const name = eventName(regarding, event.seriesKey ?? event.reason);
      const base = `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(regarding.namespace)}/events`;
      const context = { target: `event ${event.reason} on scaledobject ${regarding.namespace}/${regarding.name}`, namespace: regarding.namespace };
      const time = microTime(now());
      const body = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name, namespace: regarding.namespace },
        eventTime: time,
        reportingController: options.controller ?? 'lpa',
        reportingInstance: options.instance,
        action: 'Scaling',
        reason: event.reason,
        regarding: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', namespace: regarding.namespace, name: regarding.name, uid: regarding.uid, ...(regarding.resourceVersion === undefined ? {} : { resourceVersion: regarding.resourceVersion }) },
        note: event.note.length > MAX_NOTE ? `${event.note.slice(0, MAX_NOTE - 1)}…` : event.note,
        type: event.type,
      };
      try {
        await transport.send({ signal, method: 'POST', path: base, body: JSON.stringify(body), conditional: true, target: context.target, rule: { verb: 'create', resource: 'events', apiGroup: 'events.k8s.io', namespace: regarding.namespace } });
        return;
      } catch (error) {
        if (!(error instanceof KubeConflictError)) throw error;
      }
      // The series exists: count this occurrence.
      const path = `${base}/${encodeURIComponent(name)}`;
      const existing = await transport.read({ signal, method: 'GET', path, target: context.target, rule: { verb: 'get', resource: 'events', apiGroup: 'events.k8s.io', namespace: regarding.namespace } }, eventSchema());
      await transport.send({
        signal,
        method: 'PATCH',
        path,
        body: JSON.stringify({ series: { count: (existing.series?.count ?? 1) + 1, lastObservedTime: time } }),
        target: context.target,
        rule: { verb: 'patch', resource: 'events', apiGroup: 'events.k8s.io', namespace: regarding.namespace },
      });
    },
  };
};

export { createEventRecorder, eventName };
export type { EventRecorder, EventRecorderOptions, EventTarget, KedaEvent };
