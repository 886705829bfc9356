import { parentPort } from 'node:worker_threads';
import { fitItemModel, type FitInput, type FitOptions } from './model.ts';

// Runs one fit off the projector's event loop, so events keep flowing while it inverts.
parentPort?.once('message', (message: { input: FitInput; options: FitOptions }) => {
  const weights = fitItemModel(message.input, message.options);
  parentPort!.postMessage(weights, [weights.buffer as ArrayBuffer]);
});
