import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StreamQueue } from './stream-queue.ts';

describe('StreamQueue', () => {
  it('runs work for one stream one at a time, in arrival order', async () => {
    const queue = new StreamQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => () => sleep(ms).then(() => void log.push(name));
    await Promise.all([queue.run('s', job('a', 20)), queue.run('s', job('b', 1)), queue.run('s', job('c', 5))]);
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('lets different streams run side by side and forgets idle streams', async () => {
    const queue = new StreamQueue();
    const log: string[] = [];
    await Promise.all([
      queue.run('x', () => sleep(20).then(() => void log.push('x'))),
      queue.run('y', () => sleep(1).then(() => void log.push('y'))),
    ]);
    expect(log).toEqual(['y', 'x']);
    await sleep(0);
    expect(queue.size).toBe(0);
  });

  it('keeps going after a failure', async () => {
    const queue = new StreamQueue();
    const failed = queue.run('s', async () => {
      throw new Error('boom');
    });
    const next = queue.run('s', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
