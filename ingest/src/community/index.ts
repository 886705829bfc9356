/*
 * The demo community: about 220 people with tastes, their ratings, reviews, lists, diaries,
 * watchlists and preferences over the last year, plus the demo account, seeded after the demo
 * catalog (`npm start` without a TMDb credential, `npm run ingest -- --source demo`).
 */
export { DEMO_ACCOUNT, DEMO_ACCOUNT_DISPLAY_NAME, DEMO_ACCOUNT_EMAIL, DEMO_ACCOUNT_PASSWORD } from './credentials.ts';
export { communityTitle, loadDemoTitles, type CommunityTitle } from './catalog.ts';
export { COMMUNITY_NAMESPACE } from './community-id.ts';
export { DEFAULT_COMMUNITY_SEED, DEFAULT_COMMUNITY_SIZE, generateActivity } from './generate.ts';
export { planCommunity, type CommunityPlan } from './plan.ts';
export { seedCommunity, type SeedCommunityOptions, type SeedOutcome } from './seed.ts';
