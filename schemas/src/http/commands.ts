import { Type, type Static } from 'typebox';
import { GenreId } from '../genres.ts';
import { DiaryEntryId, IsoDate, LanguageCode, ListId, MediaType, PersonId, TitleId, UserId } from '../ids.ts';
import { DisplayName } from '../events/users.ts';
import { ListDescription, ListItemNote, ListName, ListVisibility, MAX_LIST_ITEMS } from '../events/lists.ts';
import { RatingScore, Review } from '../events/ratings.ts';
import { StrictObject } from '../strict.ts';
import { Text } from '../text.ts';

// Bodies and answers of command-api (api.md). Fields reuse the event schemas, so what the API
// accepts is what the events can store.

/** Opaque global position of the command's last event: send it as `X-Min-Position` to read your write. */
export const Position = Type.String({ description: 'Opaque global position (read-your-writes token)', maxLength: 64 });

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
/** Upper bound keeps the KDF's input (and the work an attacker can cause) small. */
export const Password = Text({ minLength: 8, maxLength: 256 });

export const RegisterBody = StrictObject({ email: Email, password: Password, displayName: DisplayName });
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = StrictObject({ email: Email, password: Text({ minLength: 1, maxLength: 256 }) });
export type LoginBody = Static<typeof LoginBody>;

export const RefreshToken = Type.String({ minLength: 20, maxLength: 200 });
export const RefreshBody = StrictObject({ refreshToken: RefreshToken });
export type RefreshBody = Static<typeof RefreshBody>;

/** `POST /auth/logout-all` (sign out everywhere): no fields, the access token names the user; no body is the same as `{}`. */
export const LogoutAllBody = StrictObject({});
export type LogoutAllBody = Static<typeof LogoutAllBody>;

export const TokenPair = Type.Object({
  userId: UserId,
  accessToken: Type.String(),
  refreshToken: RefreshToken,
  expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
});
export type TokenPair = Static<typeof TokenPair>;

/** `POST /auth/register`: the tokens, and the position of the new account's watchlist (read your write with it). */
export const Registered = Type.Object({ ...TokenPair.properties, position: Position });
export type Registered = Static<typeof Registered>;

/** At least one visible character: a name of spaces is refused here, with the field named. */
const GivenListName = Type.String({ ...ListName, pattern: '\\S' });

export const CreateListBody = StrictObject({
  name: GivenListName,
  description: Type.Optional(ListDescription),
  visibility: Type.Optional(ListVisibility),
});
export type CreateListBody = Static<typeof CreateListBody>;

export const UpdateListBody = StrictObject({
  name: Type.Optional(GivenListName),
  description: Type.Optional(ListDescription),
  visibility: Type.Optional(ListVisibility),
});
export type UpdateListBody = Static<typeof UpdateListBody>;

export const AddListItemBody = StrictObject({ titleId: TitleId, note: Type.Optional(ListItemNote) });
export type AddListItemBody = Static<typeof AddListItemBody>;

export const ReorderListBody = StrictObject({ titleIds: Type.Array(TitleId, { maxItems: MAX_LIST_ITEMS }) });
export type ReorderListBody = Static<typeof ReorderListBody>;

export const ListParams = StrictObject({ listId: ListId });
export const ListItemParams = StrictObject({ listId: ListId, titleId: TitleId });
export const TitleParams = StrictObject({ titleId: TitleId });
export const DiaryEntryParams = StrictObject({ entryId: DiaryEntryId });

export const RateTitleBody = StrictObject({
  score: RatingScore,
  review: Type.Optional(Review),
  containsSpoilers: Type.Optional(Type.Boolean()),
});
export type RateTitleBody = Static<typeof RateTitleBody>;

export const LogWatchBody = StrictObject({
  titleId: TitleId,
  watchedOn: Type.Optional(IsoDate),
  rewatch: Type.Optional(Type.Boolean({ description: 'Defaults to true when the diary already has this title' })),
});
export type LogWatchBody = Static<typeof LogWatchBody>;

export const PreferencesBody = StrictObject({
  genres: Type.Optional(
    StrictObject({
      liked: Type.Array(GenreId, { maxItems: 50 }),
      disliked: Type.Array(GenreId, { maxItems: 50 }),
    }),
  ),
  people: Type.Optional(StrictObject({ liked: Type.Array(PersonId, { maxItems: 100 }) })),
  languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 50 })),
  mediaTypes: Type.Optional(Type.Array(MediaType, { maxItems: 2 })),
});
export type PreferencesBody = Static<typeof PreferencesBody>;

export const CommandAccepted = Type.Object({ position: Position });
export const ListChanged = Type.Object({
  version: Type.Integer({ description: 'List stream version (also the ETag)' }),
  position: Position,
});
export const ListCreatedAnswer = Type.Object({ listId: ListId, version: Type.Integer(), position: Position });
export const DiaryLogged = Type.Object({ entryId: DiaryEntryId, position: Position });
