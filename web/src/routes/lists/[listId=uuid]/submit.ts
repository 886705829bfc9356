import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';

/**
 * Posts to one of this page's named actions the way `use:enhance` does, for changes that are
 * not a single form submit (a drag) or that must wait their turn (moves made faster than the
 * server answers each need the version the previous one produced).
 */
export async function submitAction(action: string, fields: Record<string, string>): Promise<ActionResult> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  try {
    const response = await fetch(`?/${action}`, {
      method: 'POST',
      body,
      headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
    });
    return deserialize(await response.text());
  } catch {
    return {
      type: 'failure',
      status: 503,
      data: { message: 'Reeltime could not be reached, so nothing was changed. Check your connection and try again.' },
    };
  }
}

/** The message a refused action carries, or a plain one. */
export function refusal(result: ActionResult): string {
  if ((result.type === 'failure' || result.type === 'success') && typeof result.data?.message === 'string') return result.data.message;
  if (result.type === 'error') return result.error?.message ?? 'Something went wrong; nothing was changed.';
  return 'Something went wrong; nothing was changed.';
}
