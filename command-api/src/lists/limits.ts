import { ListDescription, ListItemNote, ListName } from '@reeltime/schemas';

type LengthLimits = { min: number; max: number };

/**
 * Limits come from the event schemas so a command the decider accepts always yields events that
 * validate. TypeBox types the options away, hence the read through a structural view.
 */
function lengthLimits(schema: object): LengthLimits {
  const { minLength = 0, maxLength = Number.POSITIVE_INFINITY } = schema as { minLength?: number; maxLength?: number };
  return { min: minLength, max: maxLength };
}

export const NAME_LENGTH = lengthLimits(ListName);
export const DESCRIPTION_LENGTH = lengthLimits(ListDescription);
export const NOTE_LENGTH = lengthLimits(ListItemNote);

/** Code points, not UTF-16 units: that is how TypeBox measures minLength/maxLength. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export function fitsLength(value: string, limits: LengthLimits): boolean {
  const length = codePointLength(value);
  return length >= limits.min && length <= limits.max;
}
