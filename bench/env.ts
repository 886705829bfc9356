import { defineEnv, logEnv, mergeEnv, readEnv, settingsOrExit } from '@reeltime/platform/config';
import { Type } from 'typebox';

/** The service variables the benchmarks read: each makes fresh schemas in this database and drops them afterwards. */
export const BenchEnv = mergeEnv(
  logEnv('warn'),
  defineEnv({
    DATABASE_URL: Type.String({
      description: 'PostgreSQL the benchmark fills (fresh schemas, dropped afterwards)',
      pattern: '^postgres(ql)?://',
      default: 'postgres://postgres@127.0.0.1:5432/test',
      secret: 'url',
    }),
  }),
);

export function benchEnv() {
  return settingsOrExit(() => readEnv('bench', BenchEnv));
}
