import { createHash, randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { clipText, ImportAccepted, ImportSource, importStream, isStorableText, TEXT_FORMAT_MESSAGE } from '@reeltime/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem, SECURED, problems } from '@reeltime/platform';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { commandHooks } from '../handling/command-hooks.ts';
import type { CommandSliceOptions } from '../handling/context.ts';
import { IDEMPOTENCY_HEADERS } from '../handling/docs.ts';
import { deterministicUuid } from '../handling/event-ids.ts';
import { readUpload, type UploadLimits } from './read-upload.ts';
import { ImportFileError, type UploadedFile } from './rows.ts';
import { importEventId, type ImportRunner } from './runner.ts';
import type { UploadStore } from './upload-store.ts';

export type ImportRouteDeps = CommandSliceOptions & {
  uploads: UploadStore;
  runner: ImportRunner;
  limits: UploadLimits & { maxFileBytes: number; maxRunningPerUser: number };
};

const fileProblem = (error: ImportFileError) => {
  const where = error.line > 0 ? `${error.file}, line ${error.line}` : error.file;
  return new HttpProblem(error.status, error.status === 413 ? 'import_too_large' : 'unrecognised_file', `${where}: ${error.message}`, {
    errors: [{ in: 'body', field: '/file', message: `${where}: ${error.message}` }],
  });
};

/** The multipart body: one `file` and an optional `source`; anything else is named back. */
async function readForm(request: FastifyRequest): Promise<{ file: UploadedFile; source?: ImportSource }> {
  let file: UploadedFile | undefined;
  let source: ImportSource | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'file' && file === undefined) {
        const name = clipText((part.filename || 'upload').replace(/^.*[\\/]/, ''), 200) || 'upload';
        // The name is kept (the idempotency record, the upload, ImportStarted): PostgreSQL must be able to.
        if (!isStorableText(name)) {
          part.file.resume();
          throw new HttpProblem(400, 'invalid_request', `The file's name ${TEXT_FORMAT_MESSAGE}.`, {
            errors: [{ in: 'body', field: '/file', message: `its name ${TEXT_FORMAT_MESSAGE}` }],
          });
        }
        file = { name, bytes: await part.toBuffer() };
      } else if (part.type === 'field' && part.fieldname === 'source') {
        if (!Value.Check(ImportSource, part.value)) {
          throw new HttpProblem(400, 'invalid_request', 'source must be letterboxd, imdb or trakt.', {
            errors: [{ in: 'body', field: '/source', message: 'must be letterboxd, imdb or trakt' }],
          });
        }
        source = part.value;
      } else {
        if (part.type === 'file') part.file.resume();
        throw new HttpProblem(
          400,
          'invalid_request',
          `Unexpected form field "${part.fieldname}": send one file field "file" and optionally "source".`,
          {
            errors: [{ in: 'body', field: `/${part.fieldname}`, message: 'is not an accepted field' }],
          },
        );
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpProblem(413, 'import_too_large', 'The file is larger than this server accepts.');
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
      throw new HttpProblem(415, 'unsupported_media_type', 'Send the file as multipart/form-data.');
    throw error;
  }
  if (file === undefined) {
    throw new HttpProblem(400, 'invalid_request', 'The form has no file field "file".', {
      errors: [{ in: 'body', field: '/file', message: 'is required' }],
    });
  }
  return source === undefined ? { file } : { file, source };
}

/** `POST /imports`, registered under `/imports`. */
export const importRoutes: FastifyPluginAsyncTypebox<ImportRouteDeps> = async (app, { store, uploads, runner, limits, hooks }) => {
  // The Idempotency-Key covers the file, which only the handler reads.
  await app.register(commandHooks, { ...hooks, claimInHandler: true });
  // Multipart only in this slice: every other route keeps answering a form body with 415.
  await app.register(multipart, {
    limits: { fileSize: limits.maxFileBytes, files: 1, fields: 2, parts: 3, fieldSize: 100 },
    throwFileSizeLimit: true,
  });
  app.post(
    // The prefix itself: `POST /imports/` stays unrouted.
    '',
    {
      // The body schema is for the OpenAPI document: readForm reads and checks the parts, and
      // the Idempotency-Key is claimed for what it read.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['imports'],
        security: SECURED,
        summary: 'Import a Letterboxd, IMDb or Trakt export',
        description:
          'multipart/form-data with one field `file` (a Letterboxd export zip or csv, an IMDb csv, a Trakt JSON export or zip) and an optional `source` ' +
          '(`letterboxd`, `imdb`, `trakt`; detected otherwise). The file is checked whole before anything is written; the import then runs in the ' +
          'background, with progress on your `me` channel and at `GET /imports/:importId` (query-api).',
        consumes: ['multipart/form-data'],
        body: Type.Object({ file: Type.String({ format: 'binary' }), source: Type.Optional(ImportSource) }),
        headers: IDEMPOTENCY_HEADERS,
        response: { 202: ImportAccepted, ...problems(400, 401, 409, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const userId = request.userId!;
      const { file, source } = await readForm(request);
      // The key covers the file itself: the same key with another file is refused (422), the
      // same file again answers the same import.
      const digest = createHash('sha256').update(file.bytes).digest('hex');
      const replayed = await hooks.idempotency.claimFor(request, reply, {
        file: { name: file.name, sha256: digest },
        source: source ?? null,
      });
      if (replayed !== undefined) return replayed;
      let rows: number;
      let detected: ImportSource;
      try {
        const parsed = readUpload(file, limits, source);
        rows = parsed.rows.length;
        detected = parsed.source;
      } catch (error) {
        if (error instanceof ImportFileError) throw fileProblem(error);
        throw error;
      }
      if ((await uploads.runningCount(userId)) >= limits.maxRunningPerUser) {
        throw new HttpProblem(409, 'import_running', `You have ${limits.maxRunningPerUser} imports running; wait for one to finish.`, {
          headers: { 'retry-after': '10' },
        });
      }
      const key = request.idempotencyKey;
      const importId = key === undefined ? randomUUID() : deterministicUuid('import', userId, key, digest);
      const upload = {
        importId,
        userId,
        source: detected,
        fileName: file.name,
        content: Buffer.from(file.bytes),
        correlationId: request.id,
      };
      // Already there: this key and file came before (its answer expired, or its process
      // stopped before answering). The import it started is the answer; nothing starts twice.
      const fresh = await uploads.insert(upload);
      const [earlier] = fresh ? [] : await store.readStream(importStream(importId), { limit: 1 });
      let position: string;
      if (earlier !== undefined) position = earlier.position;
      else {
        try {
          const metadata = { correlationId: request.id, causationId: request.id, userId };
          const started = {
            type: 'ImportStarted' as const,
            data: { importId, userId, source: detected, fileName: file.name, rows },
            eventId: importEventId(importId, 'started'),
            metadata,
          };
          position = (await store.appendToStream(importStream(importId), [started], { expectedVersion: 'no_stream' })).position;
        } catch (error) {
          if (fresh) await uploads.remove(importId).catch(() => {});
          throw error;
        }
      }
      void runner.submit(importId);
      reply.code(202).header('x-position', position);
      return { importId, position };
    },
  );
};
