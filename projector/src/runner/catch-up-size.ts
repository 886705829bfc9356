import type { ProjectorSettings } from '../settings.ts';

type Sizes = Pick<ProjectorSettings, 'batchSize' | 'rebuildBatchSize' | 'rebuildTransactionMs'>;

/** A build's first catch-up batch: the live batch size, unless rebuildBatchSize is smaller. */
export function firstCatchUpSize({ batchSize, rebuildBatchSize }: Sizes): number {
  return Math.min(batchSize, rebuildBatchSize);
}

/**
 * Catch-up batches grow (at most doubling) while transactions stay short and shrink when
 * one ran long, between the live batch size and rebuildBatchSize: each transaction holds
 * back the event store's readers for as long as it runs, whatever the machine's load.
 */
export function nextCatchUpSize(settings: Sizes, events: number, ms: number): number {
  const next = Math.round(events * Math.min(2, Math.max(0.5, settings.rebuildTransactionMs / Math.max(ms, 1))));
  return Math.min(settings.rebuildBatchSize, Math.max(firstCatchUpSize(settings), next));
}
