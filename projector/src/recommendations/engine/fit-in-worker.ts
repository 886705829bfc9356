import { tsWorker } from '../../core/ts-worker.ts';
import type { FitInput, FitOptions } from './model.ts';

const WORKER = new URL('./fit-worker.ts', import.meta.url);

/** Fits the item model in a worker thread, off the projector's event loop. */
export function fitInWorker(input: FitInput, options: FitOptions): Promise<Float32Array> {
  const worker = tsWorker(WORKER);
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
