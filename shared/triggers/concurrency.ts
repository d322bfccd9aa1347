/**
 * A bounded `Promise.all`: at most `limit` calls in flight, results in input order. A tick of
 * 1,000 ScaledObjects must not open 1,000 sockets at once (Lambda's file-descriptor limit, and
 * SQS/CloudWatch throttling), yet must not queue them one by one either.
 */
import pLimit from 'p-limit';

/** Default calls in flight per reader. */
const DEFAULT_CONCURRENCY = 16;

/**
 * Maps `items` through `task` with at most `limit` tasks running. `task` must not reject (the
 * readers turn failures into readings); a rejection would reject the whole map, like Promise.all.
 *
 * @example
 * const lengths = await mapWithConcurrency(queues, 16, (queue) => fetchLength(queue));
 */
const mapWithConcurrency = <T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const run = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item, index) => run(() => task(item, index))));
};

export { DEFAULT_CONCURRENCY, mapWithConcurrency };
