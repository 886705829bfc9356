import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandApi, type Answer, type CommandApiHarness, type Session } from '../testing/api.testing.ts';
import { form, letterboxd } from './fixtures.testing.ts';

// Idempotency-Key on POST /imports covers the file: the key is claimed once the upload is read,
// for its name, its content's digest and the source asked for. (No read models here: the
// imports accepted fail at matching in the background, which these tests do not look at.)

let api: CommandApiHarness;
let user: Session;

beforeAll(async () => {
  api = await startCommandApi({ importLimits: { maxRunningPerUser: 100 }, readSchema: 'no_read_models_here' });
  user = await api.register();
});
afterAll(() => api.close());

const ALIEN = letterboxd.diary([{ film: { name: 'Alien', year: 1979 }, watched: '2020-05-01', rating: 4.5 }]);
const HEAT = letterboxd.diary([{ film: { name: 'Heat', year: 1995 }, watched: '2020-05-02' }]);

async function upload(content: string, key?: string, name = 'diary.csv') {
  const response = await fetch(`${api.baseUrl}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.accessToken}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: form(name, content),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed'),
    body: (await response.json()) as Answer['body'],
  };
}

const startedEvents = async (importId: string) =>
  (await api.store.readStream(`import-${importId}`)).filter((event) => event.type === 'ImportStarted').length;

describe('POST /imports with an Idempotency-Key', () => {
  it('answers a retry of the same file with the same import, and starts it once', async () => {
    const first = await upload(ALIEN, 'upload-1');
    expect(first.status).toBe(202);
    const retry = await upload(ALIEN, 'upload-1');
    expect(retry).toMatchObject({ status: 202, replayed: 'true', body: first.body });
    expect(await startedEvents(first.body.importId)).toBe(1);
  });

  it('refuses the same key with another file (422), and starts nothing for it', async () => {
    const first = await upload(ALIEN, 'upload-2');
    const other = await upload(HEAT, 'upload-2');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const renamed = await upload(ALIEN, 'upload-2', 'my-diary.csv');
    expect(renamed.status).toBe(422);
    const count = await api.pool.query(`SELECT count(*)::int AS n FROM ${api.schema}.imports WHERE user_id = $1 AND import_id <> $2`, [
      user.userId,
      first.body.importId,
    ]);
    const before = count.rows[0].n;
    expect((await upload(HEAT, 'upload-2')).status).toBe(422);
    const after = await api.pool.query(`SELECT count(*)::int AS n FROM ${api.schema}.imports WHERE user_id = $1 AND import_id <> $2`, [
      user.userId,
      first.body.importId,
    ]);
    expect(after.rows[0].n).toBe(before);
  });

  it('answers the same import once the remembered answer is gone (expired), instead of failing or starting another', async () => {
    const first = await upload(HEAT, 'upload-3');
    await api.pool.query(`DELETE FROM ${api.schema}.idempotency_keys WHERE user_id = $1 AND key = $2`, [user.userId, 'upload-3']);
    const again = await upload(HEAT, 'upload-3');
    expect(again.status).toBe(202);
    expect(again.replayed).toBeNull();
    expect(again.body).toEqual(first.body);
    expect(await startedEvents(first.body.importId)).toBe(1);
  });

  it('without a key, each upload is an import of its own', async () => {
    const [a, b] = [await upload(ALIEN), await upload(ALIEN)];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.importId).not.toBe(b.body.importId);
  });

  it('does not remember a "too many running" answer: a retry with the key is tried again', async () => {
    // A hundred imports of this user's that some live process is running.
    await api.pool.query(
      `INSERT INTO ${api.schema}.imports (import_id, user_id, source, file_name, correlation_id, heartbeat_at)
       SELECT gen_random_uuid(), $1, 'letterboxd', 'x.csv', 'test', now() FROM generate_series(1, 100)`,
      [user.userId],
    );
    const busy = await upload(ALIEN, 'upload-4');
    expect(busy.status).toBe(409);
    await api.pool.query(`DELETE FROM ${api.schema}.imports WHERE user_id = $1`, [user.userId]);
    const later = await upload(ALIEN, 'upload-4');
    expect(later.status).toBe(202);
    expect(later.replayed).toBeNull();
  });
});
