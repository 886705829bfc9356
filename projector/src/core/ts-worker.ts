import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// tsx's ESM entry (require.resolve finds its CommonJS twin, whose name differs only in extension).
const TSX_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href;

/**
 * A worker thread running a TypeScript module like the rest of the projector: a two-line
 * bootstrap loads it through tsx's API, which works whether this process runs under tsx
 * (npm start) or under vitest (whose own transform does not reach worker threads).
 */
export function tsWorker(module: URL, options: WorkerOptions = {}): Worker {
  const bootstrap = `import(${JSON.stringify(TSX_API)}).then(({ tsImport }) => tsImport(${JSON.stringify(module.href)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(bootstrap, { ...options, eval: true });
}
