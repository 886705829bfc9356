import { fail, isHttpError, redirect, type RequestEvent } from '@sveltejs/kit';
import type { ImportSource } from '@reeltime/schemas';
import { ApiError, api, failure } from '$lib/server/api.ts';
import { match as isUuid } from '../../../../params/uuid.ts';
import { IMPORT_KEY, SOURCE_LABELS, fileProblem } from './import-rules.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  // The progress view reloads from GET /imports/:id; the live `me` channel only says when.
  event.depends(IMPORT_KEY);
  const importId = url.searchParams.get('import');
  return {
    user: locals.user!,
    progress: importId && isUuid(importId) ? { importId, status: await statusOf(event, importId) } : null,
    // A double-submitted or retried upload answers the same import instead of starting two.
    idempotencyKey: crypto.randomUUID(),
  };
};

/**
 * The import's status, or null while the read models have not caught up with the upload yet (a
 * 503 after waiting for its position): the progress view then says it is starting and looks again.
 */
async function statusOf(event: RequestEvent, importId: string) {
  try {
    return await api(event).importStatus(importId);
  } catch (cause) {
    if (isHttpError(cause) && cause.status === 503) return null;
    throw cause;
  }
}

export const actions: Actions = {
  import: async (event) => {
    const { locals, request, url } = event;
    if (!locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(url.pathname)}`);
    const form = await request.formData();
    const file = form.get('file');
    const chosen = form.get('source');
    // Anything but a known source (the form's "detect" is empty) lets the API detect it.
    const source = (Object.keys(SOURCE_LABELS) as ImportSource[]).find((known) => known === chosen);
    const values = { source: source ?? '' };
    const key = form.get('idempotencyKey');
    const idempotencyKey = typeof key === 'string' && key ? key : crypto.randomUUID();
    const problem = fileProblem(file instanceof File ? file : null);
    if (problem) return fail(problem.status, { message: problem.message, errors: { file: problem.message }, values, idempotencyKey });
    let importId: string;
    const client = api(event);
    try {
      try {
        ({ importId } = await client.importFile(file as File, source, idempotencyKey));
      } catch (cause) {
        // The key came with another file before (a page restored by Back): this is a new upload.
        if (!(cause instanceof ApiError && cause.problem.code === 'idempotency_key_reused')) throw cause;
        ({ importId } = await client.importFile(file as File, source, crypto.randomUUID()));
      }
    } catch (cause) {
      const result = failure(cause, values);
      const { errors, message, status } = result.data;
      // What is wrong with the file (`diary.csv, line 3: broken quoting`, too large, not a form) goes beside it.
      if ([400, 413, 415].includes(status) && !errors.source) errors.file ??= message;
      // A refused answer is kept under its key: the next attempt (another file) needs a new one.
      const retryable = cause instanceof ApiError && (cause.status >= 500 || cause.status === 429 || cause.status === 409);
      return fail(status, { ...result.data, idempotencyKey: retryable ? idempotencyKey : crypto.randomUUID() });
    }
    redirect(303, `${url.pathname}?import=${importId}#import-progress`);
  },
};
