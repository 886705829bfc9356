export * from './services.ts';
export * from './events.ts';
