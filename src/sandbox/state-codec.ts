/*
 * The fakes keep their state in Maps, Sets, Dates and Buffers; plain JSON would flatten them. Each is written as a
 * one-key tagged object and revived on read, so the sandbox can save whatever the fakes hold without a schema per
 * field (they grow new fields often).
 */

type Tagged = { $map: [unknown, unknown][] } | { $set: unknown[] } | { $date: string } | { $buffer: string };

export function encodeState(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // `this[key]` is the value before its own toJSON ran (Date and Buffer have one).
    const raw = key === '' ? v : this[key];
    if (raw instanceof Map) return { $map: [...raw.entries()] } satisfies Tagged;
    if (raw instanceof Set) return { $set: [...raw.values()] } satisfies Tagged;
    if (raw instanceof Date) return { $date: raw.toISOString() } satisfies Tagged;
    if (Buffer.isBuffer(raw)) return { $buffer: raw.toString('base64') } satisfies Tagged;
    return v;
  });
}

export function decodeState<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1) return v;
    const tagged = v as Record<string, unknown>;
    if ('$map' in tagged) return new Map(tagged.$map as [unknown, unknown][]);
    if ('$set' in tagged) return new Set(tagged.$set as unknown[]);
    if ('$date' in tagged) return new Date(tagged.$date as string);
    if ('$buffer' in tagged) return Buffer.from(tagged.$buffer as string, 'base64');
    return v;
  }) as T;
}
