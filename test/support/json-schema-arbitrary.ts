import fc from 'fast-check';

/*
 * fast-check arbitraries for the JSON Schemas an OpenAPI document holds, so a property test can send requests that
 * the document calls valid. Covers the keywords the case API's document uses and refuses any other, so a schema it
 * cannot honour fails the test instead of being silently approximated.
 */

type Schema = Record<string, unknown>;

const HANDLED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'not',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'items',
  'anyOf',
  'description',
  'example',
  '$ref',
]);

export function arbitraryFor(schema: Schema, root: Schema): fc.Arbitrary<unknown> {
  const unknown = Object.keys(schema).filter((k) => !HANDLED.has(k));
  if (unknown.length > 0)
    throw new Error(`json-schema-arbitrary: unsupported keywords ${unknown.join(', ')}`);
  if (typeof schema.$ref === 'string') return arbitraryFor(resolve(schema.$ref, root), root);
  if (Array.isArray(schema.anyOf))
    return fc.oneof(...(schema.anyOf as Schema[]).map((s) => arbitraryFor(s, root)));
  if (schema.not !== undefined) {
    const { not, ...rest } = schema;
    const forbidden = (not as Schema).required as string[] | undefined;
    if (!forbidden || Object.keys(not as Schema).length !== 1)
      throw new Error('json-schema-arbitrary: only not.required');
    return arbitraryFor(rest, root).filter(
      (v) => !forbidden.every((k) => Object.prototype.hasOwnProperty.call(v as object, k)),
    );
  }
  if (schema.format !== undefined && schema.format !== 'date-time') {
    throw new Error(`json-schema-arbitrary: unsupported format ${String(schema.format)}`);
  }
  if (schema.format === 'date-time') {
    return fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  switch (schema.type) {
    case 'string': {
      const minLength = (schema.minLength as number | undefined) ?? 0;
      const maxLength = (schema.maxLength as number | undefined) ?? 60;
      // size 'max' reaches the documented limits, where off-by-one disagreements live.
      if (typeof schema.pattern !== 'string') return fc.string({ minLength, maxLength, size: 'max' });
      const pattern = new RegExp(schema.pattern as string);
      // An anchored pattern (`^\d{5,25}$`) is generated from the pattern itself: random strings would almost never
      // match it. An unanchored one (`\S`: not blank) is matched by nearly any random string, so filtering is cheap.
      const anchored = pattern.source.startsWith('^') && pattern.source.endsWith('$');
      return (
        anchored ? fc.stringMatching(pattern) : fc.string({ minLength, maxLength, size: 'max' })
      ).filter((s) => pattern.test(s) && s.length >= minLength && s.length <= maxLength);
    }
    case 'integer':
    case 'number': {
      const min =
        schema.exclusiveMinimum !== undefined
          ? (schema.exclusiveMinimum as number) + 1
          : ((schema.minimum as number | undefined) ?? -1e9);
      const max =
        schema.exclusiveMaximum !== undefined
          ? (schema.exclusiveMaximum as number) - 1
          : ((schema.maximum as number | undefined) ?? 1e9);
      return schema.type === 'integer'
        ? fc.maxSafeInteger().map((n) => min + (Math.abs(n) % Math.max(1, Math.min(max - min + 1, 2 ** 52))))
        : fc.double({ min, max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor((schema.items as Schema) ?? {}, root), { maxLength: 5 });
    case 'object': {
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      const required = (schema.required as string[] | undefined) ?? [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) model[key] = arbitraryFor(value, root);
      return fc.record(model, { requiredKeys: required });
    }
    default:
      throw new Error(`json-schema-arbitrary: unsupported schema ${JSON.stringify(schema)}`);
  }
}

function resolve(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#/')) throw new Error(`json-schema-arbitrary: only local $refs, not ${ref}`);
  let at: unknown = root;
  for (const part of ref.slice(2).split('/'))
    at = (at as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (!at || typeof at !== 'object') throw new Error(`json-schema-arbitrary: ${ref} not found`);
  return at as Schema;
}
