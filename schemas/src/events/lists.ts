import { Type, type Static } from 'typebox';
import { ListId, TitleId, UserId } from '../ids.ts';
import { StrictObject } from '../strict.ts';
import { Text } from '../text.ts';

// Stream `list-<listId>`.

export const ListName = Text({ minLength: 1, maxLength: 100 });
export type ListName = Static<typeof ListName>;

export const ListDescription = Text({ maxLength: 1000 });
export type ListDescription = Static<typeof ListDescription>;

export const ListVisibility = Type.Enum(['private', 'public']);
export type ListVisibility = Static<typeof ListVisibility>;

/** `watchlist` is the system list every user gets at registration. */
export const ListKind = Type.Enum(['custom', 'watchlist']);
export type ListKind = Static<typeof ListKind>;

export const ListItemNote = Text({ maxLength: 500 });
export type ListItemNote = Static<typeof ListItemNote>;

export const MAX_LIST_ITEMS = 5000;

export const ListCreatedData = StrictObject({
  listId: ListId,
  ownerId: UserId,
  name: ListName,
  description: ListDescription,
  visibility: ListVisibility,
  kind: ListKind,
});
export type ListCreatedData = Static<typeof ListCreatedData>;

export const ListRenamedData = StrictObject({ listId: ListId, name: ListName });
export type ListRenamedData = Static<typeof ListRenamedData>;

export const ListDescriptionChangedData = StrictObject({ listId: ListId, description: ListDescription });
export type ListDescriptionChangedData = Static<typeof ListDescriptionChangedData>;

export const ListVisibilityChangedData = StrictObject({ listId: ListId, visibility: ListVisibility });
export type ListVisibilityChangedData = Static<typeof ListVisibilityChangedData>;

export const ListItemAddedData = StrictObject({
  listId: ListId,
  titleId: TitleId,
  note: Type.Optional(ListItemNote),
});
export type ListItemAddedData = Static<typeof ListItemAddedData>;

export const ListItemRemovedData = StrictObject({ listId: ListId, titleId: TitleId });
export type ListItemRemovedData = Static<typeof ListItemRemovedData>;

/** The complete new order, not a move: replaying it needs no knowledge of the previous order. */
export const ListItemsReorderedData = StrictObject({
  listId: ListId,
  titleIds: Type.Array(TitleId, { maxItems: MAX_LIST_ITEMS, uniqueItems: true }),
});
export type ListItemsReorderedData = Static<typeof ListItemsReorderedData>;

export const ListDeletedData = StrictObject({ listId: ListId });
export type ListDeletedData = Static<typeof ListDeletedData>;
