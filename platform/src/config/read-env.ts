import envSchema from 'env-schema';
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';

/**
 * How every Reeltime process reads its environment: each declares its variables once, as TypeBox
 * properties with defaults and descriptions (`defineEnv`), and reads them with `readEnv`, which
 * validates and coerces them through env-schema (Ajv). The README's variable table is checked
 * against these declarations (`scripts/env-table.test.ts`).
 */

/** A variable's value that must never be printed: `true` hides it whole, `'url'` hides a URL's password and query. */
export type SecretKind = true | 'url';

/** One thing wrong with one variable. */
export type EnvIssue = { variable: string; problem: string };

// Checks see the values with defaults applied and numbers coerced or, when the schema refused a variable, the strings as given.
type EnvCheck = (config: Record<string, unknown>) => EnvIssue[];

export type EnvSpec<P extends TProperties> = {
  variables: P;
  /** What a schema cannot say (one variable needing another, a list of addresses to parse). */
  checks: EnvCheck[];
  /** A variable read from another when it is unset itself (`COMMAND_API_PORT` from `PORT`). */
  fallbacks: Record<string, string>;
};

export type EnvConfig<P extends TProperties> = Static<TObject<P>>;

type SpecOptions<P extends TProperties> = {
  checks?: Array<(config: Partial<EnvConfig<P>>) => EnvIssue[]>;
  fallbacks?: Partial<Record<keyof P & string, string>>;
};

export function defineEnv<P extends TProperties>(variables: P, options: SpecOptions<P> = {}): EnvSpec<P> {
  return { variables, checks: (options.checks ?? []) as EnvCheck[], fallbacks: (options.fallbacks ?? {}) as Record<string, string> };
}

type VariablesOf<S> = S extends EnvSpec<infer P> ? P : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Merged<S extends EnvSpec<TProperties>[]> =
  Intersection<VariablesOf<S[number]>> extends infer P extends TProperties ? { [K in keyof P]: P[K] } : never;

/** Several fragments (shared variables and a process's own) as one spec. */
export function mergeEnv<S extends EnvSpec<TProperties>[]>(...specs: S): EnvSpec<Merged<S>> {
  return {
    variables: Object.assign({}, ...specs.map((spec) => spec.variables)) as Merged<S>,
    checks: specs.flatMap((spec) => spec.checks),
    fallbacks: Object.assign({}, ...specs.map((spec) => spec.fallbacks)),
  };
}

/** Every bad variable of one process, in one message that prints no secret. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: EnvIssue[],
    lines: string[],
  ) {
    super(
      `${service}: ${issues.length === 1 ? '1 environment variable is' : `${issues.length} environment variables are`} not valid\n` +
        lines.map((line) => `  - ${line}`).join('\n') +
        '\nUnset a variable, or set it empty, to use its default.',
    );
    this.name = 'ConfigError';
  }
}

type VariableSchema = TSchema & { description?: string; default?: unknown; secret?: SecretKind };

/** A secret is never shown; a URL only without its password and query. */
export function showValue(raw: string, secret: SecretKind | undefined): string {
  if (secret === undefined) return JSON.stringify(raw.length > 120 ? `${raw.slice(0, 120)}…` : raw);
  if (secret === 'url') {
    try {
      const url = new URL(raw);
      const user = url.username ? `${url.username}${url.password ? ':***' : ''}@` : '';
      return JSON.stringify(`${url.protocol}//${user}${url.host}${url.pathname}${url.search ? '?…' : ''}`);
    } catch {
      // Not a URL: it may be anything, a password included.
    }
  }
  return `(a secret of ${raw.length} characters, not shown)`;
}

type AjvError = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };

function problemOf(error: AjvError): string {
  const { keyword, params } = error;
  if (keyword === 'required') return 'is required but not set';
  if (keyword === 'type')
    return params.type === 'integer'
      ? 'must be a whole number'
      : params.type === 'boolean'
        ? 'must be true or false'
        : `must be a ${String(params.type)}`;
  if (keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  if (keyword === 'minimum') return `must be at least ${String(params.limit)}`;
  if (keyword === 'maximum') return `must be at most ${String(params.limit)}`;
  if (keyword === 'minLength') return `must be at least ${String(params.limit)} characters long`;
  if (keyword === 'pattern') return 'is not in the expected form';
  return error.message ?? keyword;
}

/** The variables the schema names, with set-but-empty (or blank) taken as unset, and fallbacks applied. */
function collect(spec: EnvSpec<TProperties>, env: NodeJS.ProcessEnv): Record<string, string> {
  const present = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const values: Record<string, string> = {};
  for (const [name, schema] of Object.entries(spec.variables)) {
    const value = present(name) ?? (spec.fallbacks[name] ? present(spec.fallbacks[name]) : undefined);
    // Choices (`EVENT_STORE`, `LOG_LEVEL`, flags) are all lower case; `INFO` or `True` mean the same.
    if (value !== undefined) values[name] = 'enum' in schema ? value.toLowerCase() : value;
  }
  return values;
}

/**
 * The variables of `spec` read from `env`, with defaults applied and numbers and booleans
 * coerced. Throws a `ConfigError` naming every bad variable, its value (secrets hidden) and what
 * is expected.
 */
export function readEnv<P extends TProperties>(service: string, spec: EnvSpec<P>, env: NodeJS.ProcessEnv = process.env): EnvConfig<P> {
  const raw = collect(spec, env);
  const issues: EnvIssue[] = [];
  let config: Record<string, unknown> | undefined;
  try {
    config = envSchema({
      schema: Type.Object(spec.variables),
      data: raw,
      env: false,
      ajv: { customOptions: (ajv) => ajv.addKeyword({ keyword: 'secret' }) },
    });
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!errors) throw error;
    for (const failure of errors) {
      const variable = failure.keyword === 'required' ? String(failure.params.missingProperty) : failure.instancePath.slice(1);
      issues.push({ variable, problem: problemOf(failure) });
    }
  }
  // When the schema refused something, the checks still run, on the strings as given.
  for (const check of spec.checks) issues.push(...check(config ?? raw));
  if (issues.length > 0) {
    const lines = issues.map(({ variable, problem }) => {
      const schema = spec.variables[variable] as VariableSchema | undefined;
      const shown = raw[variable] === undefined ? undefined : showValue(raw[variable], schema?.secret);
      const value = shown === undefined ? '' : shown.startsWith('(') ? ` ${shown}` : `=${shown}`;
      const fallback = schema?.default === undefined ? '' : ` (default ${String(schema.default)})`;
      return `${variable}${value}: ${problem}${schema?.description ? ` — ${schema.description}${fallback}` : ''}`;
    });
    throw new ConfigError(service, issues, lines);
  }
  return config as EnvConfig<P>;
}

/**
 * For an entry point: the settings `read` makes, or, on a `ConfigError`, its message on stderr
 * and exit code 2, with no stack trace (the message says all there is to fix).
 */
export function settingsOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

/**
 * For a command-line tool: the arguments `read` parses, or, when it throws (an unknown option, a
 * bad value), `<tool>: <message>` on stderr and exit code 2, with no stack trace, as for a bad
 * variable.
 */
export function argumentsOrExit<T>(tool: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    process.stderr.write(`${tool}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

/** A yes/no variable: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`. */
export const FLAG_VALUES = ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'] as const;

export function envFlag(description: string, fallback: boolean) {
  return Type.Enum([...FLAG_VALUES], { description, default: fallback ? 'true' : 'false' });
}

export function isOn(value: (typeof FLAG_VALUES)[number]): boolean {
  return ['1', 'true', 'yes', 'on'].includes(value);
}
