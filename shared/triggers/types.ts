/**
 * The trigger port: a reader per trigger type reads every trigger of that type in one tick at once,
 * so that CloudWatch queries of ALL ScaledObjects share GetMetricData calls (≤ 500 queries each)
 * and identical SQS queues are asked once. Readers never reject for one bad request: each request
 * gets a reading, a value or an error that names the trigger and what failed.
 */
import type { PodSet } from '../engine/podObjects.js';
import type { MetricReading } from '../engine/types.js';
import type { ServiceProxy } from '../kube/types.js';
import type { AwsPodIdentity } from '../spec/auth/types.js';
import type { ScaledObject, Trigger, TriggerType } from '../spec/types.js';

/** One trigger of one ScaledObject to read in this tick. */
interface TriggerRequest<T extends Trigger = Trigger> {
  readonly scaledObject: ScaledObject;
  readonly trigger: T;
  /** The TriggerAuthentication parameters resolved for this trigger (KEDA's authParams); absent without an authenticationRef. */
  readonly authParams?: Readonly<Record<string, string>>;
  /** The referenced object's `podIdentity` (its `roleArn` is also `authParams.awsRoleArn`). */
  readonly podIdentity?: AwsPodIdentity;
  /**
   * The pods of the object's target and their PodMetrics (cpu/memory). Read on the first call and
   * shared by the object's triggers: two list calls per object, after its scale gave the selector.
   */
  readonly targetPods?: () => Promise<PodSet>;
}

interface TriggerReader<T extends Trigger = Trigger> {
  readonly type: T['type'];
  /**
   * One reading per request, in the same order. `now` is injected (cron windows, CloudWatch query
   * windows); `signal` is the tick's budget, handed to every remote call (a call it ends is an error reading);
   * `cluster` is the requests' cluster, for signals read through its API (in-cluster Services).
   */
  read(requests: readonly TriggerRequest<T>[], now: number, signal?: AbortSignal, cluster?: ServiceProxy): Promise<MetricReading[]>;
}

/** Exhaustive by construction: adding a trigger type to the spec fails compilation until it has a reader. */
type TriggerRegistry = { readonly [K in TriggerType]: TriggerReader<Extract<Trigger, { type: K }>> };

export type { TriggerReader, TriggerRegistry, TriggerRequest };
