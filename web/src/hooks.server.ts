import { randomUUID } from 'node:crypto';
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { api } from '$lib/server/api.ts';
import { log } from '$lib/server/log.ts';
import { RefreshSingleFlight, loadSession } from '$lib/server/session.ts';

/** Same rule as the APIs: only short, log-safe request ids are taken as correlation ids. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** One per server process: refresh tokens rotate, so one refresh per token at a time. */
const flights = new RefreshSingleFlight();

export const handle: Handle = async ({ event, resolve }) => {
  const started = performance.now();
  const given = event.request.headers.get('x-request-id');
  event.locals.requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  try {
    event.locals.clientAddress = event.getClientAddress();
  } catch {
    event.locals.clientAddress = '127.0.0.1';
  }
  await loadSession(event, flights, (refreshToken) => api(event).refresh(refreshToken));

  const response = await resolve(event);
  response.headers.set('x-request-id', event.locals.requestId);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  if (!event.url.pathname.startsWith('/_app/')) {
    log.info(
      {
        correlationId: event.locals.requestId,
        method: event.request.method,
        url: event.url.pathname,
        status: response.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: event.locals.user?.userId,
      },
      'request',
    );
  }
  return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status >= 500) log.error({ err: error, correlationId: event.locals.requestId, url: event.url.pathname }, 'unexpected error');
  return {
    message: status >= 500 ? 'Something went wrong on our side. It has been logged; please try again.' : message,
    requestId: event.locals.requestId,
  };
};
