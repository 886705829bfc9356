import { HttpProblem } from '@reeltime/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executed } from './execute.ts';

/** Every command answer carries its position in `X-Position` as well as in the body. */
export function withPosition<State>(reply: FastifyReply, executed: Executed<State>): FastifyReply {
  return reply.header('x-position', executed.position);
}

/** List answers also carry the stream version as a strong ETag, for `If-Match` on the next change. */
export function withVersion<State>(reply: FastifyReply, executed: Executed<State>): FastifyReply {
  return withPosition(reply, executed).header('etag', `"${executed.version}"`);
}

const ENTITY_TAG = /^(?:W\/)?"(\d{1,10})"$/;

/** `If-Match: "<version>"` → the version the client expects; absent or `*` → no check. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = ENTITY_TAG.exec(header.trim());
  if (!match) {
    throw new HttpProblem(400, 'invalid_if_match', 'If-Match must be an entity tag such as "3".', {
      errors: [{ in: 'headers', field: '/if-match', message: 'must be a quoted list version such as "3"' }],
    });
  }
  return Number(match[1]);
}

/**
 * The latest calendar day anywhere on Earth (UTC+14): a user logging a watch "today" in their
 * own time zone is never told the date is in the future.
 */
export function latestCalendarDay(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}
