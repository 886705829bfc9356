import { Type } from 'typebox';

export const IDEMPOTENCY_HEADERS = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Retries with the same key and body return the first answer', maxLength: 200 }),
  ),
});

export const LIST_HEADERS = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })),
  'if-match': Type.Optional(Type.String({ description: 'The list version (ETag) you last saw; 412 when it changed', maxLength: 20 })),
});
