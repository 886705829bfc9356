import { Type, type Static } from 'typebox';

// Lower-case only: ids are compared as strings across stores, so one spelling per id.
const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export const Uuid = Type.String({ format: 'uuid', pattern: UUID_PATTERN, maxLength: 36 });
export type Uuid = Static<typeof Uuid>;

export const UserId = Type.String({ format: 'uuid', pattern: UUID_PATTERN, maxLength: 36, description: 'User id (lower-case UUID)' });
export type UserId = Static<typeof UserId>;

export const ListId = Type.String({ format: 'uuid', pattern: UUID_PATTERN, maxLength: 36, description: 'List id (lower-case UUID)' });
export type ListId = Static<typeof ListId>;

export const DiaryEntryId = Type.String({
  format: 'uuid',
  pattern: UUID_PATTERN,
  maxLength: 36,
  description: 'Diary entry id (lower-case UUID)',
});
export type DiaryEntryId = Static<typeof DiaryEntryId>;

export const MediaType = Type.Enum(['movie', 'tv'], { description: 'Movie or TV show' });
export type MediaType = Static<typeof MediaType>;

/** TMDb ids start at 1; a leading zero would give one title two ids. */
export const TmdbId = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'TMDb id' });
export type TmdbId = Static<typeof TmdbId>;

export const TitleId = Type.String({
  pattern: '^(movie|tv):[1-9][0-9]*$',
  maxLength: 16,
  description: '`movie:<tmdbId>` or `tv:<tmdbId>`',
  examples: ['movie:603', 'tv:1396'],
});
export type TitleId = Static<typeof TitleId>;

/** A TMDb person id. */
export const PersonId = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'TMDb person id' });
export type PersonId = Static<typeof PersonId>;

/** ISO 639-1 code as TMDb uses it (lower case; TMDb also uses `xx` for "no language"). */
export const LanguageCode = Type.String({ pattern: '^[a-z]{2}$', maxLength: 2, description: 'ISO 639-1 language code' });
export type LanguageCode = Static<typeof LanguageCode>;

/** ISO 3166-1 alpha-2, upper case as in TMDb watch-provider results. */
export const RegionCode = Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2, description: 'ISO 3166-1 alpha-2 region code' });
export type RegionCode = Static<typeof RegionCode>;

/** A calendar day `YYYY-MM-DD` (no time zone: a release or a viewing is a date, not an instant). */
export const IsoDate = Type.String({ format: 'date', maxLength: 10, examples: ['2024-05-17'] });
export type IsoDate = Static<typeof IsoDate>;

export const IsoDateTime = Type.String({ format: 'date-time', maxLength: 40, examples: ['2024-05-17T20:15:00.000Z'] });
export type IsoDateTime = Static<typeof IsoDateTime>;
