/*
 * Throwaway servers for the fault drills: a nats-server and a PostgreSQL cluster of their own,
 * on free ports, so a drill can stop and restart them without disturbing anything shared.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@reeltime/eventstore/testing';

const NATS_SERVER = process.env.NATS_SERVER_PATH ?? '/usr/sbin/nats-server';
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why a drill cannot run here, or undefined when it can. */
export function natsMissing(): string | undefined {
  return existsSync(NATS_SERVER) ? undefined : `${NATS_SERVER} not found (apt-get install nats-server, or set NATS_SERVER_PATH)`;
}

export function postgresMissing(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(path.join(PG_BIN, tool))) return `${path.join(PG_BIN, tool)} not found (install postgresql-15, or set PG_BIN)`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root, and there is no postgres OS user to run initdb as';
  return undefined;
}

async function portOpen(port: number): Promise<boolean> {
  const socket = tcpConnect(port, '127.0.0.1');
  try {
    await Promise.race([once(socket, 'connect'), sleep(500).then(() => Promise.reject(new Error('timeout')))]);
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

async function waitForPort(port: number, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await portOpen(port))) {
    if (Date.now() > deadline) throw new Error(`${what} did not open port ${port} within ${ms} ms`);
    await sleep(50);
  }
}

export type ThrowawayNats = { url: string; port: number; stop(): Promise<void>; start(): Promise<void>; close(): Promise<void> };

/** A plain nats-server (no JetStream: the live path needs none) that can be stopped and restarted on its port. */
export async function startNats(): Promise<ThrowawayNats> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitForPort(port, 'nats-server');
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `nats://127.0.0.1:${port}`, port, start, stop, close: stop };
}

export type ThrowawayPostgres = { url: string; port: number; stop(): Promise<void>; start(): Promise<void>; close(): Promise<void> };

/**
 * A private PostgreSQL cluster in a temporary folder (initdb, trust auth, fsync off). initdb
 * refuses to run as root, so as root the binaries run as the `postgres` OS user, which owns
 * the folder.
 */
export async function startPostgres(): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const folder = await mkdtemp(path.join(tmpdir(), 'reeltime-drill-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    await chown(folder, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  await chmod(folder, 0o700);
  const data = path.join(folder, 'data');
  const run = (tool: string, args: string[]) => {
    const [command, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, tool), ...args]]
      : [path.join(PG_BIN, tool), args];
    const result = spawnSync(command, argv as string[], { encoding: 'utf8', cwd: folder });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(folder, 'log'), '-w', '-t', '30', 'start']);
    await waitForPort(port, 'postgres');
  };
  // Fast shutdown: sessions are terminated (57P01), as a restarted or failed-over server does.
  const stop = async () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    close: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}
