import { afterAll, describe, it } from 'vitest';
import { describeEventStoreContract } from '../contract/suite.ts';
import { createEsdbEventStore } from './store.ts';

/*
 * The EventStoreDB leg of the contract suite. It runs against EVENTSTORE_URL when set (CI,
 * docker compose), else against a throwaway container when a container runtime exists, and
 * otherwise says plainly that it was skipped and why. SKIP_ESDB_CONTRACT=1 skips it on purpose
 * (CI's main job, which leaves this leg to its own job). The database cannot be wiped between
 * tests, so isolation comes from the suite's fresh stream names.
 */

const IMAGE = process.env.KURRENTDB_IMAGE ?? 'kurrentplatform/kurrentdb:26.0';
const PORT = 2113;

type Target = { url: string; stop?: () => Promise<unknown> } | { skip: string };

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

async function startContainer(): Promise<Target> {
  try {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(IMAGE)
      .withEnvironment({
        KURRENTDB_INSECURE: 'true',
        KURRENTDB_RUN_PROJECTIONS: 'None',
        KURRENTDB_MEM_DB: 'true',
        KURRENTDB_CLUSTER_SIZE: '1',
      })
      .withExposedPorts(PORT)
      .withWaitStrategy(Wait.forHttp('/health/live', PORT).forStatusCodeMatching((status) => status >= 200 && status < 300))
      .withStartupTimeout(120_000)
      .start();
    return {
      url: `kurrentdb://${container.getHost()}:${container.getMappedPort(PORT)}?tls=false`,
      stop: () => container.stop(),
    };
  } catch (error) {
    return { skip: `EVENTSTORE_URL is not set and ${IMAGE} could not be started (${firstLine(error)})` };
  }
}

/** A configured server that never answers is a failure, not a skip: CI must not go green on it. */
async function waitUntilReachable(url: string, timeoutMs = 60_000): Promise<void> {
  const store = createEsdbEventStore({ url });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await store.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`EventStoreDB at ${url} is not reachable: ${firstLine(error)}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  } finally {
    await store.close();
  }
}

async function locate(): Promise<Target> {
  if (process.env.SKIP_ESDB_CONTRACT) return { skip: 'SKIP_ESDB_CONTRACT is set' };
  const configured = process.env.EVENTSTORE_URL;
  return configured ? { url: configured } : startContainer();
}

const target = await locate();

if ('skip' in target) {
  console.warn(`EventStoreDB contract leg skipped: ${target.skip}`);
  describe.skip(`event store contract: EventStoreDB (skipped: ${target.skip})`, () => {
    it('runs when EVENTSTORE_URL is set or a container runtime exists', () => {});
  });
} else {
  await waitUntilReachable(target.url);
  if (target.stop) afterAll(() => target.stop?.(), 60_000);
  describeEventStoreContract(
    'EventStoreDB',
    async () => {
      const store = createEsdbEventStore({ url: target.url, exactCountLimit: 1000 });
      return { store, cleanup: () => store.close() };
    },
    { eventIdsUniqueAcrossStreams: false },
  );
}
