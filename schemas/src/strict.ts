import { Type, type TObject, type TObjectOptions, type TProperties } from 'typebox';

/**
 * Every event payload is closed: an unknown property is far more likely a bug (a renamed
 * field, a leaked email) than an extension, and events are forever.
 */
export function StrictObject<P extends TProperties>(properties: P, options: TObjectOptions = {}): TObject<P> {
  return Type.Object(properties, { ...options, additionalProperties: false });
}
