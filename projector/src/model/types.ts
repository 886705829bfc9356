import { Type, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** ISO timestamp as written to and read back from a timestamptz column. */
export const Timestamp = Type.String();
/** A position token (`<20 digits>-<20 digits>`). */
export const PositionText = Type.String();

/** The columns of a row schema, in declaration order: the single list every statement uses. */
export function columnsOf<P extends Record<string, TSchema>>(schema: { properties: P }): (keyof P & string)[] {
  return Object.keys(schema.properties) as (keyof P & string)[];
}
