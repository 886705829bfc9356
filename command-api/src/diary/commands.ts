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
    /**
     * How many watches of this title on this day the import holds (1 when absent): the diary is
     * brought up to that many entries that day, never past it, so two real watches of a day both
     * arrive while one already logged by hand (or by another import) still counts.
     */
    ofTheDay?: number;
  };
/**
 * An import's watches, decided together: one pass over the diary instead of one per watch. A
 * watch already in the diary (same entry id, or the diary already has `ofTheDay` entries of the
 * title that day) adds nothing, so a re-import or an import overlapping what the user logged
 * never duplicates. The count, not which watches are which, decides the day: an import's watches
 * arrive in several commands, and an export's rows of one day have no identity of their own.
 */
export type ImportWatches = Actor & { type: 'ImportWatches'; today: Watched['watchedOn'] } & Pick<Watched, 'userId'> & {
    watches: ImportedWatch[];
  };
export type DiaryCommand = LogWatch | RemoveDiaryEntry | ImportWatches;
