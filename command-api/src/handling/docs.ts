import { Type } from 'typebox';

/** OpenAPI answers for the error statuses a route can produce, all problem+json. */
export function problems(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ProblemDetails')]));
}

export const SECURED = [{ bearer: [] }];

export const IDEMPOTENCY_HEADERS = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Retries with the same key and body return the first answer', maxLength: 200 }),
  ),
});

export const LIST_HEADERS = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })),
  'if-match': Type.Optional(Type.String({ description: 'The list version (ETag) you last saw; 412 when it changed', maxLength: 20 })),
});
