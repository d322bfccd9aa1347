/**
 * Maps keyed by trigger name. A trigger may be named `__proto__`, `constructor` or `toString`: on a
 * plain object, writing `__proto__` replaces the prototype and reading an absent `constructor`
 * finds Object's. Records keyed by names are therefore built without a prototype and read by own
 * property only.
 */

/** A prototype-free record of the entries; JSON.stringify and Object.entries see it as any other. */
const keyedRecord = <V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> => {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return record;
};

/** `record[key]` when the record itself has the key, never an inherited property. */
const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

export { keyedRecord, own };
