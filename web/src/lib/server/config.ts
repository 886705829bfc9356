import { env } from '$env/dynamic/private';

/** Where the APIs are, read per request so a test can start the app against any stack. */
export function apiUrls() {
  return {
    command: (env.COMMAND_API_URL ?? 'http://127.0.0.1:4001').replace(/\/$/, ''),
    query: (env.QUERY_API_URL ?? 'http://127.0.0.1:4002').replace(/\/$/, ''),
  };
}

/**
 * The WebSocket address of query-api's `/live` as the browser reaches it. Without
 * PUBLIC_LIVE_URL the browser uses the page's host name with query-api's port.
 */
export function liveUrl(): string | null {
  return env.PUBLIC_LIVE_URL || null;
}

export function liveFallbackPort(): number {
  return Number(new URL(apiUrls().query).port || 4002);
}

/** The demo account the sign-in page offers, set by `npm start` when it seeds the demo. */
export function demoAccount(): { email: string; password: string } | null {
  return env.DEMO_EMAIL && env.DEMO_PASSWORD ? { email: env.DEMO_EMAIL, password: env.DEMO_PASSWORD } : null;
}
