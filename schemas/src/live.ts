// `@reeltime/schemas/live`: what a browser needs to speak `GET /live`, without the event
// registry (which compiles every event validator at import) or anything Node-only.
// live.test.ts walks this module's imports to keep it that way.

export * from './http/live.ts';
export { DiaryEntryId, IsoDate, IsoDateTime, ListId, MediaType, TitleId, UserId } from './ids.ts';
export { ListKind, ListVisibility } from './events/lists.ts';
export { FeedEntry, FeedKind, ListSummary, PositionToken, PreferencesView, TitleRating, TitleStats, TitleSummary } from './http/queries.ts';
