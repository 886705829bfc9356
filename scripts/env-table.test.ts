import { readFileSync } from 'node:fs';
import type { EnvSpec } from '@reeltime/platform/config';
import type { TProperties } from 'typebox';
import { describe, expect, it } from 'vitest';
import { BenchEnv } from '../bench/env.ts';
import { CommandApiEnv } from '../command-api/src/settings.ts';
import { IngestCliEnv, IngestEnv } from '../ingest/src/settings.ts';
import { ProjectorEnv, ReplayEnv } from '../projector/src/settings.ts';
import { QueryApiEnv } from '../query-api/src/settings.ts';
import { WebEnv } from '../web/scripts/env.ts';
import { StartEnv } from './start-env.ts';

/*
 * The README's table of environment variables against the schemas the processes read them with:
 * every declared variable has a row with the same defaults, and every row is declared.
 */

const SPECS: Record<string, EnvSpec<TProperties>> = {
  'command-api': CommandApiEnv,
  'query-api': QueryApiEnv,
  projector: ProjectorEnv,
  'npm run replay': ReplayEnv,
  ingest: IngestEnv,
  'npm run ingest': IngestCliEnv,
  web: WebEnv,
  'npm start': StartEnv,
  bench: BenchEnv,
};

type Declared = { defaults: Set<string>; undescribed: string[] };

function declared(): Map<string, Declared> {
  const variables = new Map<string, Declared>();
  for (const [process, spec] of Object.entries(SPECS)) {
    for (const [name, schema] of Object.entries(spec.variables) as [string, { default?: unknown; description?: string }][]) {
      const entry = variables.get(name) ?? { defaults: new Set(), undescribed: [] };
      if (schema.default !== undefined) entry.defaults.add(String(schema.default));
      if (!schema.description) entry.undescribed.push(process);
      variables.set(name, entry);
    }
  }
  return variables;
}

const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** The rows of the first table under "## Environment variables": variable names, and the defaults (the code span opening each `;`-separated part). */
export function tableRows(readme: string): Map<string, Set<string>> {
  const section = readme.slice(readme.indexOf('\n## Environment variables\n'));
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(
    start,
    lines.findIndex((line, index) => index > start && !line.startsWith('|')),
  );
  const rows = new Map<string, Set<string>>();
  for (const line of table.slice(2)) {
    const [variables = '', defaults = ''] = line.split('|').slice(1);
    const values = defaults
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part.startsWith('`'))
      .map((part) => codeSpans(part)[0]!);
    for (const name of codeSpans(variables)) rows.set(name, new Set(values));
  }
  return rows;
}

describe('README environment table', () => {
  const rows = tableRows(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  const variables = declared();

  it('reads the table', () => {
    expect(rows.get('DATABASE_URL')).toEqual(
      new Set(['postgres://postgres@127.0.0.1:5432/reeltime', 'postgres://postgres@127.0.0.1:5432/test']),
    );
    expect(rows.get('JWT_ISSUER')).toEqual(new Set(['reeltime']));
    expect(rows.get('JWT_SECRET')).toEqual(new Set());
  });

  it('has a row for every declared variable, and declares every row', () => {
    expect(
      [...variables.keys()].filter((name) => !rows.has(name)),
      'declared but not in the table',
    ).toEqual([]);
    expect(
      [...rows.keys()].filter((name) => !variables.has(name)),
      'in the table but declared nowhere',
    ).toEqual([]);
  });

  it('gives each variable the defaults its schemas declare', () => {
    const differing = [...variables].filter(([name, { defaults }]) => rows.has(name) && !sameSet(defaults, rows.get(name)!));
    expect(
      differing.map(
        ([name, { defaults }]) =>
          `${name}: declared ${[...defaults].join(' / ') || 'none'}, table ${[...rows.get(name)!].join(' / ') || 'none'}`,
      ),
    ).toEqual([]);
  });

  it('describes every variable in its schema', () => {
    expect(
      [...variables]
        .filter(([, { undescribed }]) => undescribed.length > 0)
        .map(([name, { undescribed }]) => `${name} (${undescribed.join(', ')})`),
    ).toEqual([]);
  });
});

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((value) => b.has(value));
}
