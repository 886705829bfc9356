import type { TitleId } from './ids.ts';

// Stream names (architecture.md). Every package names streams through these.

export const userStream = (userId: string) => `user-${userId}`;
export const listStream = (listId: string) => `list-${listId}`;
/** One stream per user and title: ratings of different titles never conflict. */
export const ratingStream = (userId: string, titleId: TitleId) => `rating-${userId}-${titleId}`;
/** One stream per user: the rewatch default needs every entry of the diary. */
export const diaryStream = (userId: string) => `diary-${userId}`;
export const preferencesStream = (userId: string) => `preferences-${userId}`;
/** `movie:603` → `title-movie-603`. */
export const titleStream = (titleId: TitleId) => `title-${titleId.replace(':', '-')}`;
/** One stream per import: its start, progress and end. */
export const importStream = (importId: string) => `import-${importId}`;
