/*
 * The auth forms' answers in words a person reads: the API's validation messages are written for
 * developers ("must match format \"email\""), so the fields these forms send get plain ones.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import { ApiError, failure } from '$lib/server/api.ts';

const PLAIN: Record<'email' | 'password' | 'displayName', (message: string) => string> = {
  email: (message) => (/format|pattern/.test(message) ? 'Enter an email address like name@example.com.' : humanize(message)),
  password: humanize,
  displayName: humanize,
};

function humanize(message: string): string {
  const fewer = /fewer than (\d+) characters/.exec(message);
  if (fewer) return Number(fewer[1]) <= 1 ? 'This is required.' : `Use at least ${fewer[1]} characters.`;
  const more = /more than (\d+) characters/.exec(message);
  if (more) return `Use at most ${more[1]} characters.`;
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
}

type Values = { email: string; displayName?: string };
export type Field = 'email' | 'password' | 'displayName';

export type AuthFailure = { message: string; errors: Partial<Record<Field, string>>; status: number; values: Values };

/** `fail()` for a refused sign-in or sign-up; the password is never sent back to the page. */
export function authFailure(
  cause: unknown,
  values: Values,
  overrides: { status: number; field?: Field; message: string }[] = [],
): ActionFailure<AuthFailure> {
  if (!(cause instanceof ApiError)) throw cause;
  const answer = (message: string, errors: AuthFailure['errors'] = {}) =>
    fail(cause.status >= 500 ? 503 : cause.status, { message, errors, status: cause.status, values });
  const override = overrides.find((o) => o.status === cause.status);
  if (override?.field) return answer('', { [override.field]: override.message });
  if (override) return answer(override.message);
  if (cause.status === 429) {
    return answer(
      cause.problem.code === 'too_many_failed_logins'
        ? 'Too many wrong passwords for this account, so signing in to it is paused for a while. Please wait a few minutes, then try again.'
        : 'Too many attempts in a short time. Please wait a minute, then try again.',
    );
  }
  const general = failure(cause, values).data;
  const errors: AuthFailure['errors'] = {};
  for (const [field, message] of Object.entries(general.errors)) {
    if (field === 'email' || field === 'password' || field === 'displayName') errors[field] = PLAIN[field](message);
  }
  // With every problem shown beside its field, the form-level "request body is invalid" adds nothing.
  return answer(cause.status === 400 && Object.keys(errors).length > 0 ? 'Please fix the fields marked below.' : general.message, errors);
}

/** The form's text fields, trimmed, without the password. */
export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
