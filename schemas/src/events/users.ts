import type { Static } from 'typebox';
import { UserId } from '../ids.ts';
import { Text } from '../text.ts';
import { StrictObject } from '../strict.ts';

// Credentials (email, password hash) live outside the event store so that erasing an account
// never requires rewriting history: these events must never grow such fields.

export const DisplayName = Text({ minLength: 1, maxLength: 50 });
export type DisplayName = Static<typeof DisplayName>;

export const UserRegisteredData = StrictObject({
  userId: UserId,
  displayName: DisplayName,
});
export type UserRegisteredData = Static<typeof UserRegisteredData>;

export const UserErasedData = StrictObject({
  userId: UserId,
});
export type UserErasedData = Static<typeof UserErasedData>;
