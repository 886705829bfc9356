import type { EventData } from '@reeltime/schemas';

type Watched = EventData<'TitleWatched'>;

/** The authenticated user sending the command; a diary is changed by its owner only. */
type Actor = { actorId: Watched['userId'] };

/**
 * `POST /diary`. The handler generates `entryId` (and reuses it when a request is retried) and
 * passes `today`, the viewer's calendar day, because a pure decider cannot read the clock.
 */
export type LogWatch = Actor & { type: 'LogWatch'; today: Watched['watchedOn'] } & Pick<Watched, 'entryId' | 'userId' | 'titleId'> &
  Partial<Pick<Watched, 'watchedOn' | 'rewatch'>>;

export type RemoveDiaryEntry = Actor & { type: 'RemoveDiaryEntry' } & EventData<'DiaryEntryRemoved'>;

/** One watch of an imported history; `rewatch` absent: decided as for `LogWatch`. */
export type ImportedWatch = Pick<Watched, 'entryId' | 'titleId' | 'watchedOn'> &
  Partial<Pick<Watched, 'rewatch'>> & {
    /** "Seen it" without a real day (Letterboxd's watched.csv): only when the title has no entry yet. */
    onlyIfUnwatched?: boolean;
  };
/**
 * An import's watches, decided together: one pass over the diary instead of one per watch. A
 * watch already in the diary (same entry id, or the same title on the same day) adds nothing,
 * so a re-import or an import overlapping what the user logged never duplicates.
 */
export type ImportWatches = Actor & { type: 'ImportWatches'; today: Watched['watchedOn'] } & Pick<Watched, 'userId'> & {
    watches: ImportedWatch[];
  };
export type DiaryCommand = LogWatch | RemoveDiaryEntry | ImportWatches;
