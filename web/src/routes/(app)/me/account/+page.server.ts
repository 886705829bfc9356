import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api, failure } from '$lib/server/api.ts';
import { clearTokens } from '$lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

/** The word a person types to confirm deleting their account. */
const CONFIRMATION = 'delete';

export const load: PageServerLoad = ({ locals }) => ({ user: locals.user! });

type AccountFailure = { action: 'logoutEverywhere' | 'delete'; message: string; errors: Record<string, string> };

const refusal = (status: number, body: AccountFailure) => fail(status, body);

/** A refused command as this page shows it: which form, its message, its fields. */
function refused(action: AccountFailure['action'], cause: unknown) {
  const answer = failure(cause);
  return refusal(answer.status, { action, message: answer.data.message, errors: answer.data.errors });
}

const signInAgain = (url: URL) => `/signin?redirectTo=${encodeURIComponent(url.pathname)}`;

export const actions: Actions = {
  /** Ends every login of the account (every browser and device), this one included. */
  logoutEverywhere: async (event) => {
    if (!event.locals.user) redirect(303, signInAgain(event.url));
    try {
      await api(event).logoutEverywhere();
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 404) {
        const message = `This server cannot sign you out everywhere yet (the API answered: ${cause.message}). You are still signed in.`;
        return refusal(404, { action: 'logoutEverywhere', message, errors: {} });
      }
      return refused('logoutEverywhere', cause);
    }
    clearTokens(event);
    redirect(303, '/signin?notice=signed-out-everywhere');
  },

  delete: async (event) => {
    if (!event.locals.user) redirect(303, signInAgain(event.url));
    const data = await event.request.formData();
    const typed = String(data.get('confirmation') ?? '')
      .trim()
      .toLowerCase();
    if (typed !== CONFIRMATION) {
      return refusal(400, {
        action: 'delete',
        message: '',
        errors: { confirmation: `Type “${CONFIRMATION}” to confirm. Nothing was deleted.` },
      });
    }
    try {
      await api(event).deleteAccount();
    } catch (cause) {
      return refused('delete', cause);
    }
    clearTokens(event);
    redirect(303, '/?notice=account-deleted');
  },
};
