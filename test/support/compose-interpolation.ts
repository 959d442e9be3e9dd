/**
 * Docker Compose's variable interpolation (https://docs.docker.com/compose/how-tos/environment-variables/
 * variable-interpolation/), enough of it to check what `docker compose up` would do with a given environment
 * without a Docker engine: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
 * `${VAR?error}`, `${VAR:+replacement}` and `${VAR+replacement}`. Compose refuses to start when a `?` form fails;
 * this throws with the same message.
 */
export function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolateString(value, env) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => interpolate(v, env)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return value;
}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function interpolateString(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    PATTERN,
    (match, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const raw = env[name!];
      // With the colon, an empty value counts as unset.
      const set = colon ? raw !== undefined && raw !== '' : raw !== undefined;
      switch (op) {
        case undefined:
          return raw ?? '';
        case '-':
          return set ? raw! : interpolateString(arg!, env);
        case '+':
          return set ? interpolateString(arg!, env) : '';
        default:
          if (!set) throw new Error(`required variable ${name} is missing a value: ${arg}`);
          return raw!;
      }
    },
  );
}
