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

export type DiaryCommand = LogWatch | RemoveDiaryEntry;
