import type { EventStore } from '@reeltime/eventstore';
import type { TitleId } from '@reeltime/schemas';
import { HttpProblem } from '@reeltime/platform';

/** `movie:603` → `title-movie-603`. */
export function titleStreamId(titleId: TitleId): string {
  return `title-${titleId.replace(':', '-')}`;
}

/**
 * Commands about a title need its catalog stream to exist; the event store answers, never a
 * read model. Titles are never deleted, so a title seen once is remembered.
 */
export function titleCatalog(store: EventStore, remember = 100_000) {
  const known = new Set<string>();
  return {
    async requireTitle(titleId: TitleId): Promise<void> {
      if (known.has(titleId)) return;
      if ((await store.streamVersion(titleStreamId(titleId))) === 0) {
        throw new HttpProblem(404, 'title_not_found', `No title ${titleId} in the catalog.`);
      }
      if (known.size >= remember) known.clear();
      known.add(titleId);
    },
  };
}
export type TitleCatalog = ReturnType<typeof titleCatalog>;
