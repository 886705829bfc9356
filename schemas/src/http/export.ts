import { Type, type Static, type TSchema } from 'typebox';
import { DiaryEntryId, IsoDate, IsoDateTime, ListId, MediaType, TitleId, TmdbId, UserId } from '../ids.ts';
import { ListKind, ListVisibility } from '../events/lists.ts';
import { StrictObject } from '../strict.ts';
import { PreferencesView } from './queries.ts';

// `GET /me/export` (api.md): everything a user has, as one JSON document. Every title carries
// its TMDb id (and IMDb id when the catalog knows it) beside its name, so an importer here or
// elsewhere can match it exactly; the name and year are for people and for title matching.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ExportFormat = Type.Enum(['json', 'letterboxd'], {
  description:
    "`json`: one document with everything (default) · `letterboxd`: a zip of csv files Letterboxd's importer accepts (movies only)",
});
export type ExportFormat = Static<typeof ExportFormat>;

export const ExportQuery = StrictObject({ format: Type.Optional(ExportFormat) });
export type ExportQuery = Static<typeof ExportQuery>;

/** A title as exported: its ids, and its name and year when the catalog has it. */
export const ExportTitle = Type.Object({
  titleId: TitleId,
  mediaType: MediaType,
  tmdbId: TmdbId,
  imdbId: Nullable(Type.String()),
  title: Nullable(Type.String({ description: 'null when the title is no longer in the catalog' })),
  year: Nullable(Type.Integer()),
});
export type ExportTitle = Static<typeof ExportTitle>;

export const ExportListItem = Type.Object({
  ...ExportTitle.properties,
  position: Type.Integer({ minimum: 1, description: 'Place in the list, from 1' }),
  note: Nullable(Type.String()),
  addedAt: IsoDateTime,
});
export type ExportListItem = Static<typeof ExportListItem>;

export const ExportList = Type.Object({
  listId: ListId,
  kind: ListKind,
  name: Type.String(),
  description: Type.String(),
  visibility: ListVisibility,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  items: Type.Array(ExportListItem, { description: 'In list order' }),
});
export type ExportList = Static<typeof ExportList>;

export const ExportRating = Type.Object({
  ...ExportTitle.properties,
  score: Type.Integer({ minimum: 1, maximum: 10 }),
  review: Nullable(Type.String()),
  containsSpoilers: Type.Boolean(),
  ratedAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type ExportRating = Static<typeof ExportRating>;

export const ExportDiaryEntry = Type.Object({
  ...ExportTitle.properties,
  entryId: DiaryEntryId,
  watchedOn: IsoDate,
  rewatch: Type.Boolean(),
  loggedAt: IsoDateTime,
});
export type ExportDiaryEntry = Static<typeof ExportDiaryEntry>;

export const ExportDocument = Type.Object(
  {
    format: Type.Literal('reeltime-export'),
    version: Type.Literal(1),
    exportedAt: IsoDateTime,
    profile: Type.Object({ userId: UserId, displayName: Type.String(), registeredAt: IsoDateTime }),
    preferences: PreferencesView,
    lists: Type.Array(ExportList, { description: 'The watchlist first, then by creation; private lists included' }),
    ratings: Type.Array(ExportRating, { description: 'Latest change first' }),
    diary: Type.Array(ExportDiaryEntry, { description: 'Latest watch first' }),
  },
  { $id: 'ExportDocument' },
);
export type ExportDocument = Static<typeof ExportDocument>;
