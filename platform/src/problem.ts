import { Type, type Static } from 'typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, isDependencyUnavailable } from './unavailable.ts';

/** One offending input: `in` is the request part, `field` a JSON pointer inside it. */
export const FieldError = Type.Object({
  in: Type.String({ description: 'body, params, querystring or headers' }),
  field: Type.String({ description: 'JSON pointer to the offending value ("" = the whole part)' }),
  message: Type.String(),
});
export type FieldError = Static<typeof FieldError>;

/** RFC 9457 problem details, the body of every error answer. */
export const ProblemDetails = Type.Object(
  {
    type: Type.String({ description: 'URI reference naming the problem kind' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.Optional(Type.String({ description: 'Stable machine-readable reason, e.g. already_in_list' })),
    errors: Type.Optional(Type.Array(FieldError)),
  },
  { $id: 'ProblemDetails' },
);
export type ProblemDetails = Static<typeof ProblemDetails>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Throw from a handler to answer with a problem; anything else that escapes is a bug (500). */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
  }
}

export function problemBody(status: number, code: string, detail?: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: `/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined ? {} : { errors }),
  };
}

export function sendProblem(reply: FastifyReply, body: ProblemDetails, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(body.status).headers(headers).type('application/problem+json').send(JSON.stringify(body));
}

type ValidationItem = { instancePath?: string; message?: string };

/** The validator (`validation.ts`) already made one issue per field; name the request part too. */
function fieldErrors(part: string, items: ValidationItem[]): FieldError[] {
  return items.map((item) => ({ in: part, field: item.instancePath ?? '', message: item.message ?? 'is invalid' }));
}

/** Domain/store errors a service maps to problems on top of the framework's own. */
export type ErrorMapper = (error: unknown) => HttpProblem | undefined;

export function problemErrorHandler(mapError: ErrorMapper = () => undefined) {
  return function handle(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const mapped = error instanceof HttpProblem ? error : mapError(error);
    if (mapped) {
      return sendProblem(reply, problemBody(mapped.status, mapped.code, mapped.message, mapped.extra.errors), mapped.extra.headers);
    }
    if (isDependencyUnavailable(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      return sendProblem(
        reply,
        problemBody(
          503,
          'unavailable',
          'A database or service this request needs is unreachable right now; nothing was changed. Retry shortly.',
        ),
        { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      );
    }
    if (error.validation) {
      const part = error.validationContext ?? 'body';
      const errors = fieldErrors(part, error.validation as ValidationItem[]);
      return sendProblem(reply, problemBody(400, 'invalid_request', `The request ${part} is invalid.`, errors));
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return sendProblem(reply, problemBody(429, 'rate_limited', error.message));
    }
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
      return sendProblem(reply, problemBody(status, code, error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problemBody(500, 'internal', 'Something went wrong on our side; nothing was changed.'));
  };
}
