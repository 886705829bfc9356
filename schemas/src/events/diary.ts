import { Type, type Static } from 'typebox';
import { DiaryEntryId, IsoDate, TitleId, UserId } from '../ids.ts';
import { StrictObject } from '../strict.ts';

// Stream `diary-<userId>`.

export const TitleWatchedData = StrictObject({
  entryId: DiaryEntryId,
  userId: UserId,
  titleId: TitleId,
  /** The viewer's local calendar day, not an instant. */
  watchedOn: IsoDate,
  rewatch: Type.Boolean(),
});
export type TitleWatchedData = Static<typeof TitleWatchedData>;

export const DiaryEntryRemovedData = StrictObject({ entryId: DiaryEntryId, userId: UserId });
export type DiaryEntryRemovedData = Static<typeof DiaryEntryRemovedData>;
