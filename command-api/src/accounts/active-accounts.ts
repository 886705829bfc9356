import { HttpProblem, requireUser } from '@reeltime/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountStore } from './account-store.ts';

/**
 * Commands check that the token's account still exists. The answer is remembered for a few
 * seconds so that check is not a query per command: an account erased through this instance is
 * forgotten at once, one erased through another instance stops working within `ttlMs`.
 */
export function activeAccounts(accounts: Pick<AccountStore, 'exists'>, ttlMs = 10_000, max = 100_000) {
  const seen = new Map<string, number>();
  return {
    async isActive(userId: string): Promise<boolean> {
      const until = seen.get(userId);
      if (until !== undefined && until > Date.now()) return true;
      const exists = await accounts.exists(userId);
      if (exists) {
        if (seen.size >= max) seen.clear();
        seen.set(userId, Date.now() + ttlMs);
      } else seen.delete(userId);
      return exists;
    },
    forget(userId: string): void {
      seen.delete(userId);
    },
  };
}

/** preHandler: a valid access token is not enough, its account must still exist (not erased). */
export function activeUserCheck(active: Pick<ReturnType<typeof activeAccounts>, 'isActive'>) {
  return async function requireActiveUser(this: FastifyInstance, request: FastifyRequest): Promise<void> {
    await requireUser.call(this, request);
    if (!(await active.isActive(request.userId!))) throw new HttpProblem(401, 'account_erased', 'This account no longer exists.');
  };
}
