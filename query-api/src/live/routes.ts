import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '@reeltime/platform';
import { Type } from 'typebox';
import { LiveSession, type SessionDeps } from './session.ts';

export type LiveRouteOptions = Omit<SessionDeps, 'verifyToken'> & {
  /** Upgrade requests per minute per address (or user); sockets then stay as long as they like. */
  connectsPerMinute: number;
};

/** For `@fastify/websocket`, which the app registers on the root instance (see app.ts). */
export const WEBSOCKET_OPTIONS = { options: { maxPayload: 64 * 1024 } };

/** The WebSocket of live updates, registered under `/live`. */
export const liveRoutes: FastifyPluginAsyncTypebox<LiveRouteOptions> = async (
  app,
  { db, hub, tracker, log, limits, connectsPerMinute },
) => {
  const deps: SessionDeps = { db, hub, tracker, log, limits, verifyToken: (token) => app.verifyAccessToken(token) };

  app.get(
    // The prefix itself: `GET /live/` stays unrouted.
    '',
    {
      websocket: true,
      config: { rateLimit: { max: connectsPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['live'],
        summary: 'WebSocket of live updates',
        description:
          'Upgrade to a WebSocket. Optional auth: `?token=<accessToken>` or a first message `{"type":"auth","token":"..."}`. ' +
          'Then `{"type":"subscribe","channels":["feed","me","title:<titleId>","list:<listId>"],"since"?:"<position>"}` → ' +
          '`{"type":"subscribed",...}` and `{"type":"update","channel","position","data"}` messages (backfill after `since` first, then live; ' +
          'no gaps, no duplicates, in position order per channel). Errors: `{"type":"error","code":"bad_request"|"forbidden"|"invalid_token"|"slow_consumer",...}`; ' +
          'the socket stays open except after `slow_consumer`. Message schemas: `LiveClientMessage` / `LiveServerMessage` (update data: `LiveUpdateData`) in @reeltime/schemas, for browsers @reeltime/schemas/live.',
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 4096 })) }),
        response: { 101: Type.Null({ description: 'Switching protocols' }), ...problems(400, 429) },
      },
    },
    (socket, request) => {
      const session = new LiveSession(socket, deps);
      socket.on('message', (data, isBinary) => {
        if (isBinary) return session.onMessage('');
        session.onMessage(String(data));
      });
      socket.on('pong', () => session.onPong());
      socket.on('close', () => session.onClose());
      socket.on('error', () => session.onClose());
      const token = (request.query as { token?: string }).token;
      if (token) session.authenticate(token);
    },
  );
};
