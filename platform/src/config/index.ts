export * from './read-env.ts';
export * from './startup.ts';
export * from './variables.ts';
