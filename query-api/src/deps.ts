import type { Consistency } from './consistency/hook.ts';
import type { ReadDb } from './db.ts';

export type RouteDeps = { db: ReadDb; consistent: Consistency };

export const OPTIONALLY_SECURED: { [label: string]: string[] }[] = [{}, { bearer: [] }];
