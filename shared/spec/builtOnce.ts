/**
 * Zod schemas built on first use. Building a zod schema costs ~0.1–1 ms per object schema (zod binds
 * every method to every instance), and the spec's schemas were most of what importing LPA cost a
 * Lambda cold start: an evaluation builds only those it parses with (its objects' trigger types, a
 * TriggerAuthentication only when the group has one). bench/bundles.ts measures the import, and
 * test/unit/spec/lazySchemas.test.ts checks that importing a handler builds none.
 */
import * as z from 'zod';

/**
 * zod compiles a parser (`new Function`) for each object schema at its first parse. LPA parses a
 * handful of documents per invocation, and the compiling made a cold start's first parse of a
 * ScaleGroup 15–20 ms slower (56–61 → 41–42 ms for events/scheduled-tick.json, medians of 9–11
 * fresh processes of the bundle) while a warm parse of a 50-object group took the same ~7.5 ms
 * either way. zod reads this when a schema is built, and the modules that build schemas import this one.
 */
z.config({ jitless: true });

/** `build`'s result, built on the first call and kept. */
const builtOnce = <S>(build: () => S): (() => S) => {
  let built: { readonly value: S } | undefined;
  return () => (built ??= { value: build() }).value;
};

/**
 * An optional field whose schema is built the first time the field is present: for parts most
 * inputs leave out (a ScaleGroup's cluster source, its tenancy). zod's `z.lazy(…).optional()` would
 * build it at the parent's first parse, present or not. Issues keep their paths and messages; the
 * field's own schema parses with zod's defaults, so it must not rely on a per-parse error map.
 */
const builtWhenPresent = <S extends z.ZodType>(build: () => S): z.ZodType<z.output<S> | undefined, z.input<S> | undefined> => {
  const schema = builtOnce(build);
  return z
    .unknown()
    .transform((value, ctx): z.output<S> => {
      const parsed = schema().safeParse(value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    })
    .optional() as z.ZodType<z.output<S> | undefined, z.input<S> | undefined>;
};

export { builtOnce, builtWhenPresent };
