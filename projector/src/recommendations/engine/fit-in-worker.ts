import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FitInput, FitOptions } from './model.ts';

const WORKER = new URL('./fit-worker.ts', import.meta.url).href;
// tsx's ESM entry (require.resolve finds its CommonJS twin, whose name differs only in extension).
const TSX_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href;
/**
 * The worker is TypeScript like the rest of the projector: a two-line bootstrap loads it
 * through tsx's API, which works whether this process runs under tsx (npm start) or under
 * vitest (whose own transform does not reach worker threads).
 */
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ tsImport }) => tsImport(${JSON.stringify(WORKER)}, ${JSON.stringify(import.meta.url)}));`;

/** Fits the item model in a worker thread, off the projector's event loop. */
export function fitInWorker(input: FitInput, options: FitOptions): Promise<Float32Array> {
  const worker = new Worker(BOOTSTRAP, { eval: true });
  return new Promise<Float32Array>((resolve, reject) => {
    worker.once('message', (weights: Float32Array) => {
      resolve(weights);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`model fit worker exited with code ${code}`)));
    worker.postMessage({ input, options }, [input.offsets.buffer, input.titles.buffer, input.times.buffer] as ArrayBuffer[]);
  });
}
