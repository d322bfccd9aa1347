/**
 * Zod schemas built on first use. Building a zod schema costs ~0.1–1 ms per object schema (zod binds
 * every method to every instance), and the spec's schemas were most of what importing LPA cost a
 * Lambda cold start: an evaluation builds only those it parses with (its objects' trigger types, a
 * TriggerAuthentication only when the group has one). bench/bundles.ts measures the import.
 */

/** `build`'s result, built on the first call and kept. */
const builtOnce = <S>(build: () => S): (() => S) => {
  let built: { readonly value: S } | undefined;
  return () => (built ??= { value: build() }).value;
};

export { builtOnce };
