import { ConcurrencyError, type EventStore, type NewEvent } from '@reeltime/eventstore';
import { fold } from '@reeltime/decider';
import { catalogEventId } from './event-id.ts';
import { titleDecider, titleStream, type TitleCommand, type TitleEvent } from './title-decider.ts';

export type RecordOutcome = 'imported' | 'updated' | 'unchanged';
export type CatalogMetadata = { correlationId: string; causationId: string };

const CONFLICT_ATTEMPTS = 3;

/**
 * Runs the Title decider against the title's stream and appends what it decides, with the
 * stream version it read as the expected version. Safe to call twice with the same snapshot:
 * the second call finds nothing changed (or, if the first append's answer was lost, the same
 * deterministic event ids already stored).
 */
export async function recordTitle(store: EventStore, command: TitleCommand, metadata: CatalogMetadata): Promise<RecordOutcome> {
  const stream = titleStream(command.title.titleId);
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(stream);
    const state = fold(
      titleDecider,
      history.filter((e): e is typeof e & TitleEvent => e.type === 'TitleImported' || e.type === 'TitleUpdated'),
    );
    const decided = titleDecider.decide(command, state);
    if (decided.length === 0) return 'unchanged';
    const version = history.at(-1)?.version ?? 0;
    const events: NewEvent[] = decided.map((event, i) => ({
      ...event,
      eventId: catalogEventId(stream, version + i + 1, event.type, event.data),
      metadata: { ...metadata, userId: null },
    }));
    try {
      await store.appendToStream(stream, events, { expectedVersion: version === 0 ? 'no_stream' : version });
      return decided[0]!.type === 'TitleImported' ? 'imported' : 'updated';
    } catch (error) {
      // Another writer (a second ingest, MovieLens seeding) got there first: decide again on its result.
      if (!(error instanceof ConcurrencyError) || attempt >= CONFLICT_ATTEMPTS) throw error;
    }
  }
}
