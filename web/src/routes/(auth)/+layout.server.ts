import { redirect } from '@sveltejs/kit';
import { safeRedirectTo } from './redirect.ts';
import type { LayoutServerLoad } from './$types';

/** Signing in or up is for visitors: someone already signed in goes where they were headed. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeRedirectTo(url.searchParams.get('redirectTo')));
  return { redirectTo: safeRedirectTo(url.searchParams.get('redirectTo')) };
};
