import { HttpProblem } from '@reeltime/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PositionTracker, ProjectionName } from './positions.ts';

export type Consistency = (projections: readonly ProjectionName[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * preHandler per route: honours `X-Min-Position` for the projections the route reads, then
 * sets `X-Position` to where they are (an app-wide hook has already set a lower bound, so
 * errors before this point carry one too).
 */
export function consistency(tracker: PositionTracker, waitMs: number): Consistency {
  return (projections) => async (request, reply) => {
    const min = request.headers['x-min-position'];
    // An empty header is the same as none (api.md).
    if (typeof min === 'string' && min !== '' && !(await tracker.waitFor(projections, min, waitMs))) {
      reply.header('x-position', tracker.current(projections));
      throw new HttpProblem(
        503,
        'consistency_timeout',
        `The read models did not reach position ${min} within ${waitMs} ms; retry shortly.`,
        {
          headers: { 'retry-after': '1' },
        },
      );
    }
    reply.header('x-position', tracker.current(projections));
  };
}
