import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api.ts';
import { storeTokens } from '$lib/server/session.ts';
import { authFailure, text } from '../messages.ts';
import { safeRedirectTo } from '../redirect.ts';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const email = text(data, 'email');
    const displayName = text(data, 'displayName');
    const password = data.get('password');
    const values = { email, displayName };
    try {
      const pair = await api(event).register({ email, displayName, password: typeof password === 'string' ? password : '' });
      storeTokens(event, pair);
    } catch (cause) {
      return authFailure(cause, values, [{ status: 409, field: 'email', message: 'An account with this email already exists.' }]);
    }
    redirect(303, safeRedirectTo(data.get('redirectTo')));
  },
};
