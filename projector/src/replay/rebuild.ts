import { createGeneration, generationsOf, migrateCore, prepareGeneration } from '../core/registry.ts';
import type { PhaseTimes } from '../runner/phases.ts';
import { ProjectionRunner } from '../runner/runner.ts';
import type { SupervisorDeps } from '../runner/supervisor.ts';

export type RebuildDeps = Omit<SupervisorDeps, 'reconcileMs'> & {
  signal?: AbortSignal;
  /** Called every `progressMs` while building, with the runners. */
  onProgress?: (runners: readonly ProjectionRunner[]) => void;
  progressMs?: number;
};

export type RebuildResult = { projection: string; schema: string; events: number; seconds: number; outcome: string; phases: PhaseTimes };

/**
 * Blue/green rebuild: each projection gets a fresh schema built from position zero while the
 * current version keeps serving; each swaps itself in once caught up. A build left by an
 * interrupted run of the same version is resumed rather than started over.
 */
export async function rebuild(deps: RebuildDeps): Promise<RebuildResult[]> {
  const { pool, settings, store, projections } = deps;
  await migrateCore(pool, settings);
  const runners: ProjectionRunner[] = [];
  for (const projection of projections) {
    const building = (await generationsOf(pool, settings.coreSchema, projection.name)).find((g) => g.status === 'building');
    if (building !== undefined && building.version !== projection.version) {
      throw new Error(`${projection.name}: a build of version ${building.version} (${building.schema_name}) is in progress`);
    }
    let schema: string;
    if (building !== undefined) {
      await prepareGeneration(pool, settings, projection, building);
      schema = building.schema_name;
      deps.log.info({ projection: projection.name, schema }, 'resuming an unfinished rebuild');
    } else {
      schema = (await createGeneration(pool, settings, projection, 'building', store.startPosition)).schema_name;
    }
    runners.push(new ProjectionRunner({ ...deps, projection, schema, stopWhenServing: true }));
  }
  const signal = deps.signal ?? new AbortController().signal;
  const progress = deps.onProgress ? setInterval(() => deps.onProgress!(runners), deps.progressMs ?? 200) : undefined;
  try {
    return await Promise.all(
      runners.map(async (runner) => {
        const started = performance.now();
        const outcome = await runner.run(signal);
        const seconds = (performance.now() - started) / 1000;
        return {
          projection: runner.name,
          schema: runner.schema,
          events: runner.eventsApplied,
          seconds,
          outcome,
          phases: { ...runner.phases },
        };
      }),
    );
  } finally {
    if (progress) clearInterval(progress);
    deps.onProgress?.(runners);
  }
}
