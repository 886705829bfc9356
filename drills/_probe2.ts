import pino from 'pino';
import { startProjector } from '@reeltime/projector/src/service.ts';
import { projections } from '@reeltime/projector/src/projections.ts';
import { event, streams, titleImported } from '@reeltime/projector/src/testing/events.ts';
import { createHarness } from '@reeltime/projector/src/testing/harness.ts';
const lines: string[] = [];
const log = pino({ level: 'warn' }, { write: (l: string) => { lines.push(l); } });
for (let fresh = 0; fresh < 4; fresh++) {
  const h = await createHarness('drill_probe', { PROJECTOR_BATCH_SIZE: '50' });
  for (let i = 0; i < 5; i++) { const data = titleImported(5000 + i, `Drill ${i}`); await h.store.appendToStream(streams.title(data.titleId), [event('TitleImported', data)]); }
  let stop = false; let q = 0;
  const reader = (async () => { while (!stop) { try { await h.read('SELECT t.title_id, s.rating_count FROM read.titles t LEFT JOIN read.title_stats s USING (title_id) LIMIT 5'); q++; } catch { } await new Promise(r => setTimeout(r, 2)); } })();
  for (let round = 0; round < 3; round++) {
    const t = Date.now();
    const services = await Promise.all(Array.from({ length: 4 }, () => startProjector({ ...h.settings }, projections, log)));
    console.log(fresh, round, 'started in', Date.now() - t, 'ms; reader', q);
    await new Promise(r => setTimeout(r, 1500));
    await Promise.all(services.map(s => s.stop()));
  }
  stop = true; await reader; await h.close();
}
console.log(lines.filter(l => /deadlock|40P01|"level":50/.test(l)).map(l => l.slice(0, 300)));
