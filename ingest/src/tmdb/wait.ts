import { setTimeout as sleep } from 'node:timers/promises';

/*
 * Waits (backoff, a 429's pause) that a caller's signal cuts short, sharing one abort listener
 * per signal. `timers/promises` adds a listener to the signal for every pending wait, and a sync
 * run passes one signal to all its requests: twenty requests backing off at once held twenty
 * listeners on it (Node warns from eleven: MaxListenersExceededWarning). Here the first wait on
 * a signal adds the listener and the last one to finish removes it, so a signal holds at most
 * one, whatever the number of requests.
 */

type Waiter = { timer: NodeJS.Timeout; reject: (reason: unknown) => void };

const waitersBySignal = new Map<AbortSignal, Set<Waiter>>();

function abortWaiters(event: Event): void {
  const signal = event.target as AbortSignal;
  const waiters = waitersBySignal.get(signal);
  waitersBySignal.delete(signal);
  for (const waiter of waiters ?? []) {
    clearTimeout(waiter.timer);
    waiter.reject(signal.reason);
  }
}

function leave(signal: AbortSignal, waiter: Waiter): void {
  const waiters = waitersBySignal.get(signal);
  if (!waiters?.delete(waiter) || waiters.size > 0) return;
  waitersBySignal.delete(signal);
  signal.removeEventListener('abort', abortWaiters);
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let waiters = waitersBySignal.get(signal);
    if (waiters === undefined) {
      waiters = new Set();
      waitersBySignal.set(signal, waiters);
      signal.addEventListener('abort', abortWaiters, { once: true });
    }
    const waiter: Waiter = {
      timer: setTimeout(() => {
        leave(signal, waiter);
        resolve();
      }, ms),
      reject,
    };
    waiters.add(waiter);
  });
}
