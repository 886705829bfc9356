import type {
  ListDescription,
  ListId,
  ListItemNote,
  ListKind,
  ListName,
  ListVisibility,
  ReelEvent,
  TitleId,
  UserId,
} from '@reeltime/schemas';

export type ListEvent = Extract<
  ReelEvent,
  {
    type:
      | 'ListCreated'
      | 'ListRenamed'
      | 'ListDescriptionChanged'
      | 'ListVisibilityChanged'
      | 'ListItemAdded'
      | 'ListItemRemoved'
      | 'ListItemsReordered'
      | 'ListDeleted';
  }
>;

export type ListItem = { titleId: TitleId; note?: ListItemNote };

/**
 * The list as its events left it. Before `ListCreated` (exists = false) the other fields hold
 * neutral placeholders; decide() refuses every command but CreateList in that state, so none
 * of them is ever read.
 */
export type ListState = {
  exists: boolean;
  deleted: boolean;
  listId: ListId;
  ownerId: UserId;
  kind: ListKind;
  name: ListName;
  description: ListDescription;
  visibility: ListVisibility;
  items: readonly ListItem[];
};

export const initialListState: ListState = {
  exists: false,
  deleted: false,
  listId: '',
  ownerId: '',
  kind: 'custom',
  name: '',
  description: '',
  visibility: 'private',
  items: [],
};
