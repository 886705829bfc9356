export * from './read-env.ts';
export * from './variables.ts';
