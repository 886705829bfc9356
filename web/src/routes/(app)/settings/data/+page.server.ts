import { fail, isHttpError, redirect, type RequestEvent } from '@sveltejs/kit';
import type { ImportSource } from '@reeltime/schemas';
import { ApiError, api, failure } from '$lib/server/api.ts';
import { MultipartHeadError, readMultipartHead, type MultipartHead } from '$lib/server/multipart-head.ts';
import { match as isUuid } from '../../../../params/uuid.ts';
import { IMPORT_KEY, SOURCE_LABELS, TOO_LARGE, fileProblem } from './import-rules.ts';
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
    // The fields before the file are read here; the file goes on to the API as it arrives.
    let head: MultipartHead;
    try {
      head = await readMultipartHead(
        request.body ?? new ReadableStream(),
        request.headers.get('content-type') ?? '',
        contentLength(request),
      );
    } catch (cause) {
      // Over BODY_SIZE_LIMIT: adapter-node ends the body with a 413 before any of it is read.
      const tooLarge = (cause as { status?: number } | null)?.status === 413;
      if (!(cause instanceof MultipartHeadError) && !tooLarge) throw cause;
      const [status, message] = tooLarge ? [413, TOO_LARGE] : [400, (cause as MultipartHeadError).message];
      return fail(status, { message, errors: { file: message }, values: { source: '' }, idempotencyKey: crypto.randomUUID() });
    }
    const { fields } = head;
    const chosen = fields.get('source');
    // Anything but a known source (the form's "detect" is empty) lets the API detect it.
    const source = (Object.keys(SOURCE_LABELS) as ImportSource[]).find((known) => known === chosen);
    const values = { source: source ?? '' };
    const idempotencyKey = fields.get('idempotencyKey') || crypto.randomUUID();
    // The size from the body's length (browsers send one); without it, the API's limit answers.
    const problem =
      head.file.field === 'file' ? fileProblem({ name: head.file.filename, size: head.fileBytesAtMost ?? 1 }) : fileProblem(null);
    if (problem) {
      head.discard();
      return fail(problem.status, { message: problem.message, errors: { file: problem.message }, values, idempotencyKey });
    }
    let importId: string;
    try {
      const body = head.forward(source === undefined ? [] : [['source', source]]);
      ({ importId } = await api(event).importUpload({ body, contentType: head.contentType }, idempotencyKey));
    } catch (cause) {
      // The key came with another file before (a page restored by Back): the file has gone by
      // and cannot be sent again under a new key, so it is asked for once more.
      if (cause instanceof ApiError && cause.problem.code === 'idempotency_key_reused') {
        const message = 'This form had already sent another file. Choose the file again.';
        return fail(422, { message, errors: { file: message }, values, idempotencyKey: crypto.randomUUID() });
      }
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

function contentLength(request: Request): number | undefined {
  const length = Number(request.headers.get('content-length') ?? Number.NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
