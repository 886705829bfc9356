import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importsProjection } from '../imports/projection.ts';
import type { Projection } from '../model/projection.ts';

/** While this file exists, applying the erasure of `userId` kills the worker thread the projection runs in. */
export const crashFlag = (userId: string) => join(tmpdir(), `reeltime-crash-drill-${userId}`);

/**
 * The imports projection under another name, in a worker thread of its own, with a fault no
 * batch retry catches: an error thrown outside any promise chain, as a bug in a timer or a
 * native crash would end the thread.
 */
export const crashDrillProjection: Projection = {
  ...(importsProjection as Projection),
  name: 'crash_drill',
  views: {},
  ownThread: { module: import.meta.url, exportName: 'crashDrillProjection' },
  apply: (state, event, notices) => {
    if (event.type === 'UserErased' && existsSync(crashFlag(event.data.userId))) {
      setImmediate(() => {
        throw new Error(`crash drill: ${event.data.userId}`);
      });
    }
    importsProjection.apply(state as never, event, notices);
  },
};

export const removeCrashFlag = (userId: string) => rmSync(crashFlag(userId), { force: true });
