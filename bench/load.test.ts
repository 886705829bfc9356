import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoad, type LoadShape } from './load.ts';

/*
 * The paced shape must count a server's stall against every request that fell due during it,
 * including the ones still waiting for a connection: timed from when they were sent instead, only
 * the few on the wire would show it. The server is a process of its own, so its stall does not
 * also stop the generator.
 */

const STALL_MS = 200;
// Answers at once, except that 700 ms after its first request it blocks for STALL_MS.
const SERVER = `
const http = require('node:http');
let first;
const server = http.createServer((request, response) => {
  first ??= Date.now();
  if (first !== -1 && Date.now() - first > 700) {
    first = -1;
    const until = Date.now() + ${STALL_MS};
    while (Date.now() < until);
  }
  response.end('ok');
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function stallingServer(): Promise<{ origin: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(child.stdout!, 'data')) as [Buffer];
  return { origin: `http://127.0.0.1:${String(port).trim()}`, process: child };
}

describe('paced load', () => {
  const servers: ChildProcess[] = [];
  const started = async () => {
    const server = await stallingServer();
    servers.push(server.process);
    return server.origin;
  };
  afterAll(() => servers.forEach((server) => server.kill()));
  // The same load on a server of its own, in one shape or the other.
  const load = async (shape: LoadShape) =>
    runLoad({ origin: await started(), rate: 200, seconds: 2, connections: 2, shape, next: () => ({ path: '/' }) });

  it('given a server that stalls once, when paced at 200/s on 2 connections, then every request due during the stall counts it', async () => {
    const result = await load('paced');
    expect(result.requests).toBe(400);
    expect(result.non2xx + result.errors).toBe(0);
    // 40 of 400 requests fall due during the stall: the slowest percent waited most of it.
    expect(result.maxMs).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    expect(result.p99Ms).toBeGreaterThanOrEqual(STALL_MS * 0.75);
    expect(result.p50Ms).toBeLessThan(STALL_MS / 4);
    // The generator's own CPU is counted (it shares the machine with what it measures).
    expect(result.generatorCpuMsPerRequest).toBeGreaterThan(0);
  });

  it('given the same stall, when autocannon sends bursts (a closed loop), then only the requests on the wire show it', async () => {
    const result = await load('bursts');
    expect(result.maxMs).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    // Two requests of 400 waited; the rest were not sent until the stall ended.
    expect(result.p99Ms).toBeLessThan(STALL_MS / 4);
  });
});
