import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { toIssues, type ValidationIssue } from './issues.ts';

/** A compiled schema whose failures read as one issue per offending field. */
export type IssueValidator<T extends TSchema> = {
  Check(value: unknown): value is Static<T>;
  /** Why `value` fails (empty when it passes). */
  Issues(value: unknown): ValidationIssue[];
};

type Branches = { key: string; byTag: Map<unknown, Validator> };

/**
 * A union whose every branch is an object with a constant `key` property (`{type: 'auth', ...} |
 * {type: 'subscribe', ...}`): the tag says which branch a value meant, so that branch alone
 * explains what is wrong with it.
 */
function taggedBranches(schema: TSchema, key: string): Branches | undefined {
  const anyOf = (schema as { anyOf?: unknown }).anyOf;
  if (!Array.isArray(anyOf) || anyOf.length === 0) return undefined;
  const byTag = new Map<unknown, Validator>();
  for (const branch of anyOf as TSchema[]) {
    const tag = (branch as { properties?: Record<string, { const?: unknown }> }).properties?.[key];
    if (tag?.const === undefined || byTag.has(tag.const)) return undefined;
    byTag.set(tag.const, Compile(branch));
  }
  return { key, byTag };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compiles `schema` once. Its issues name the real problem: for a union of tagged objects (a
 * message discriminated by `type`), the branch the value's tag names, not the first branch's
 * complaint ("must have required properties token" for a subscribe with too many channels).
 */
export function compileValidator<T extends TSchema>(schema: T, options: { discriminator?: string } = {}): IssueValidator<T> {
  const validator = Compile(schema);
  const tagged = taggedBranches(schema, options.discriminator ?? 'type');
  return {
    Check: (value: unknown): value is Static<T> => validator.Check(value),
    Issues(value: unknown): ValidationIssue[] {
      if (validator.Check(value)) return [];
      if (tagged === undefined) return toIssues(validator.Errors(value));
      const tags = [...tagged.byTag.keys()].map((tag) => JSON.stringify(tag)).join(', ');
      if (!isRecord(value)) return [{ path: '', message: `must be an object with "${tagged.key}": one of ${tags}` }];
      const branch = tagged.byTag.get(value[tagged.key]);
      if (branch === undefined) return [{ path: `/${tagged.key}`, message: `must be one of ${tags}` }];
      return toIssues(branch.Errors(value));
    },
  };
}
