/** Milliseconds spent per phase: a fresh build's bulk load, then per batch load / apply / flush = write / commit; and a few peaks. */
export type PhaseTimes = {
  bulk: number;
  copy: number;
  load: number;
  apply: number;
  flush: number;
  commit: number;
  indexes: number;
  batches: number;
  longestTransaction: number;
  workingSetRows: number;
};

export function noPhaseTimes(): PhaseTimes {
  return { bulk: 0, copy: 0, load: 0, apply: 0, flush: 0, commit: 0, indexes: 0, batches: 0, longestTransaction: 0, workingSetRows: 0 };
}

/** Adds the time since the previous lap (or since the stopwatch started) to a phase. */
export type Lap = (phase: keyof PhaseTimes) => void;

export function stopwatch(phases: PhaseTimes): Lap {
  let at = performance.now();
  return (phase) => {
    const now = performance.now();
    phases[phase] += now - at;
    at = now;
  };
}
