/**
 * The demo account the demo community seed creates (`npm start` without a TMDb credential).
 * Its own module without imports, so anything (scripts/start.ts, the web app's sign-in hint)
 * can read the credentials without loading the seed.
 */
export const DEMO_ACCOUNT_EMAIL = 'demo@example.com';
export const DEMO_ACCOUNT_PASSWORD = 'reeltime-demo';
export const DEMO_ACCOUNT_DISPLAY_NAME = 'Demo Viewer';

export const DEMO_ACCOUNT = { email: DEMO_ACCOUNT_EMAIL, password: DEMO_ACCOUNT_PASSWORD, displayName: DEMO_ACCOUNT_DISPLAY_NAME } as const;
