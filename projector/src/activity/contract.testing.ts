import { LiveUpdateData } from '@reeltime/schemas';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { expect } from 'vitest';

const liveUpdate = Compile(LiveUpdateData);

type Node = { anyOf?: Node[]; properties?: Record<string, Node>; items?: Node; const?: unknown; enum?: unknown[] };

/** The object schemas of a (nested) union. */
function variants(schema: Node): Node[] {
  return schema.anyOf ? schema.anyOf.flatMap(variants) : [schema];
}

const constOf = (variant: Node, key: string): unknown[] => {
  const property = variant.properties?.[key];
  return property?.const !== undefined ? [property.const] : (property?.enum ?? []);
};

/** Every value the schema admits for `key` of a variant, e.g. every update `type`. */
export function schemaConsts(schema: TSchema, key: string): string[] {
  return [...new Set(variants(schema as Node).flatMap((variant) => constOf(variant, key) as string[]))].sort();
}

/** Paths of properties a valid `value` has that `schema` does not name (its objects are open). */
function unnamed(schema: Node, value: unknown, path: string): string[] {
  if (schema.anyOf) {
    const match = schema.anyOf.find((variant) => Value.Check(variant as TSchema, value));
    return match ? unnamed(match, value, path) : [];
  }
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, index) => unnamed(schema.items!, item, `${path}/${index}`)) : [];
  if (schema.properties && typeof value === 'object' && value !== null) {
    const properties = schema.properties;
    return Object.entries(value).flatMap(([key, item]) =>
      key in properties ? unnamed(properties[key]!, item, `${path}/${key}`) : [`${path}/${key}`],
    );
  }
  return [];
}

/**
 * Fails unless `data` is a valid `LiveUpdateData` (the WebSocket contract) that carries no
 * field the schema does not name (the schema's objects are open, so a check alone would not see one).
 */
export function expectLiveUpdate(data: unknown): void {
  if (!liveUpdate.Check(data)) {
    const type = (data as { type?: unknown }).type;
    const candidates = variants(LiveUpdateData as Node).filter((variant) => constOf(variant, 'type').includes(type));
    const errors = candidates.flatMap((variant) =>
      [...Value.Errors(variant as TSchema, data)].map((e) => `${e.instancePath || '/'} ${e.message}`),
    );
    expect.fail(`not a LiveUpdateData (${JSON.stringify(data)}): ${errors.join('; ') || `unknown type ${String(type)}`}`);
  }
  const extra = unnamed(LiveUpdateData as Node, data, '');
  if (extra.length > 0) expect.fail(`fields outside the schema: ${extra.join(', ')} in ${JSON.stringify(data)}`);
}
