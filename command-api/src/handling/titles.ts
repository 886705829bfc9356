import type { EventStore } from '@reeltime/eventstore';
import { titleStream, type TitleId } from '@reeltime/schemas';
import { HttpProblem } from '@reeltime/platform';

/**
 * Commands about a title need its catalog stream to exist; the event store answers, never a
 * read model. Titles are never deleted, so a title seen once is remembered.
 */
export function titleCatalog(store: EventStore, remember = 100_000) {
  const known = new Set<string>();
  return {
    async requireTitle(titleId: TitleId): Promise<void> {
      if (known.has(titleId)) return;
      if ((await store.streamVersion(titleStream(titleId))) === 0) {
        throw new HttpProblem(404, 'title_not_found', `No title ${titleId} in the catalog.`);
      }
      if (known.size >= remember) known.clear();
      known.add(titleId);
    },
  };
}
export type TitleCatalog = ReturnType<typeof titleCatalog>;
