import type { Decider } from '@reeltime/decider';
import type { DiaryCommand } from './commands.ts';
import { decideDiary } from './decide.ts';
import { evolveDiary, initialDiaryState, type DiaryEvent, type DiaryState } from './state.ts';

export type { DiaryCommand, ImportedWatch, ImportWatches, LogWatch, RemoveDiaryEntry } from './commands.ts';
export { EARLIEST_WATCH_DATE, isWatchDate } from './decide.ts';
export { diaryEntries, type DiaryEntry, type DiaryEvent, type DiaryState } from './state.ts';

export const diaryDecider: Decider<DiaryCommand, DiaryState, DiaryEvent> = {
  initialState: initialDiaryState,
  decide: decideDiary,
  evolve: evolveDiary,
};

export { diaryStream as diaryStreamId } from '@reeltime/schemas';
