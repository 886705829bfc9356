import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export type Child = { process: ChildProcess; port: Promise<number>; logs: string[]; exited: Promise<number | null> };

/** Runs `npm start` of the projector as a real child process with the given environment. */
export function startChild(env: Record<string, string>): Child {
  // node itself with tsx's loader, not the tsx CLI: a signal must reach the projector, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  let resolvePort!: (port: number) => void;
  const port = new Promise<number>((resolve) => (resolvePort = resolve));
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'projector started' && entry.port !== undefined) resolvePort(entry.port);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, port, logs, exited };
}

/** The projections this child holds the lease of, from its own /metrics. */
export async function activeProjections(child: Child): Promise<string[]> {
  const text = await (await fetch(`http://127.0.0.1:${await child.port}/metrics`)).text();
  return [...text.matchAll(/^projector_active\{[^}]*projection="(\w+)"[^}]*\} 1$/gm)].map((m) => m[1]!).sort();
}
