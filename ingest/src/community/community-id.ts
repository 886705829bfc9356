import { uuidNamespace, uuidV5 } from '../catalog/event-id.ts';

/** UUID v5 namespace of every id the demo community uses (users, lists, entries, events). Fixed forever. */
export const COMMUNITY_NAMESPACE = 'fc1bf44d-1eb4-424a-ab67-f4e49f43167c';
const NAMESPACE = uuidNamespace(COMMUNITY_NAMESPACE);
export const communityId = (name: string) => uuidV5(name, NAMESPACE);
