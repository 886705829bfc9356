import { Type, type TString, type TStringOptions } from 'typebox';
import { Format } from 'typebox/format';

/**
 * The string format of every free text a person types (names, descriptions, notes, reviews,
 * passwords): text PostgreSQL can store. It refuses NUL (text and jsonb cannot hold U+0000) and
 * unpaired UTF-16 surrogates (not Unicode at all; jsonb refuses their escapes), so such input is
 * a 400 naming the field instead of a database error.
 */
export const TEXT_FORMAT = 'text';

/** What a value of the wrong format is told, on HTTP and on the WebSocket alike. */
export const TEXT_FORMAT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

// With the `u` flag a well-formed pair is one code point, so only lone surrogates match.
const UNSTORABLE = /[\0\uD800-\uDFFF]/u;

/** True when PostgreSQL can store `value` as text or inside jsonb. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * `text` cut to at most `max` code points, as the schemas count a length. Cutting UTF-16 units
 * (`slice`) can split an emoji and leave the lone surrogate PostgreSQL refuses.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return [...text].slice(0, max).join('');
}

// Registered where the schemas are loaded: TypeBox passes a format it does not know.
Format.Set(TEXT_FORMAT, isStorableText);

/** A free-text string: `Type.String` with the `text` format. */
export function Text(options: TStringOptions = {}): TString {
  return Type.String({ ...options, format: TEXT_FORMAT });
}
