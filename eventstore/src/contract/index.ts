export { describeEventStoreContract, take } from './suite.ts';
export { runTorture, type TortureOptions, type TortureReader, type TortureReport } from './torture.ts';
export type { ContractHarness, ContractSetup } from './harness.ts';
