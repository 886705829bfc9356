import { Type } from 'typebox';
import type { Consistency } from './consistency/hook.ts';
import type { ReadDb } from './db.ts';

export type RouteDeps = { db: ReadDb; consistent: Consistency };

/** OpenAPI answers for the error statuses a route can produce, all problem+json. */
export function problems(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ProblemDetails')]));
}

export const SECURED = [{ bearer: [] }];
export const OPTIONALLY_SECURED: { [label: string]: string[] }[] = [{}, { bearer: [] }];
