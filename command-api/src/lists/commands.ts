import type { ListDescription, ListId, ListItemNote, ListKind, ListName, ListVisibility, TitleId, UserId } from '@reeltime/schemas';

/** Every command names who asks: ownership is decided here, not trusted from the caller. */
type ListCommandBase = { listId: ListId; actorId: UserId };

export type CreateList = ListCommandBase & {
  type: 'CreateList';
  ownerId: UserId;
  name: ListName;
  description?: ListDescription;
  visibility?: ListVisibility;
  kind?: ListKind;
};

/** PATCH semantics: an absent field stays as it is; a field equal to the current value is no change. */
export type UpdateList = ListCommandBase & {
  type: 'UpdateList';
  name?: ListName;
  description?: ListDescription;
  visibility?: ListVisibility;
};

export type AddListItem = ListCommandBase & { type: 'AddListItem'; titleId: TitleId; note?: ListItemNote };

export type RemoveListItem = ListCommandBase & { type: 'RemoveListItem'; titleId: TitleId };

/** The complete new order of the current items. */
export type ReorderListItems = ListCommandBase & { type: 'ReorderListItems'; titleIds: TitleId[] };

export type DeleteList = ListCommandBase & { type: 'DeleteList' };

export type ListCommand = CreateList | UpdateList | AddListItem | RemoveListItem | ReorderListItems | DeleteList;
