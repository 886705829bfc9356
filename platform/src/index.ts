export * from './problem.ts';
export * from './unavailable.ts';
export * from './auth.ts';
export * from './service.ts';
export * from './proxy.ts';
export * from './logger.ts';
export * from './metrics.ts';
export * from './lifecycle.ts';
