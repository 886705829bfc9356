import { Type } from 'typebox';

/** The one security scheme of both APIs: the access token as `Authorization: Bearer <jwt>`. */
export const SECURITY_SCHEMES = { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } as const;

/** `security` of an operation that needs an access token. */
export const SECURED = [{ bearer: [] }];

/** OpenAPI answers for the error statuses a route can produce, all problem+json. */
export function problems(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ProblemDetails')]));
}
