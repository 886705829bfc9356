import type { ActionData } from './$types';

/** What one of the page's forms should show after its action ran: every form sees the same `form`. */
export type FormOutcome = {
  ok: boolean;
  message: string;
  errors: Record<string, string>;
  /** What was submitted (after a refusal), to fill the form again. */
  values: Record<string, unknown>;
  code?: string;
  status?: number;
};

type Action = 'rate' | 'addToList' | 'removeFromList' | 'logWatch';

export function outcomeOf(form: ActionData | null | undefined, action: Action): FormOutcome | null {
  if (!form) return null;
  // ActionData is the union of every action's answer; only refusals carry `values`.
  if (form.values) {
    if (form.values.action !== action) return null;
    return { ok: false, message: form.message ?? '', errors: form.errors ?? {}, values: form.values, code: form.code, status: form.status };
  }
  if (form.action !== action) return null;
  return { ok: true, message: form.message ?? '', errors: {}, values: form };
}

/** The value a refused form was submitted with, as text. */
export function submitted(outcome: FormOutcome | null, name: string): string | undefined {
  const value = outcome && !outcome.ok ? outcome.values[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}
