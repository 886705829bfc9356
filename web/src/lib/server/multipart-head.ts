/*
 * An upload form's small fields, read off the front of its multipart body while the file is not
 * read at all: browsers send a form's parts in document order (HTML's "constructing the entry
 * list"), so the fields placed before the file input arrive first. The file part and what follows
 * it are handed on as a stream, so a 32 MiB upload passes through the web server without being
 * held in its memory.
 */

/** How far into the body the file part must begin: the fields before it are a few short values. */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The body is not a multipart form this reader can pass on (no boundary, no file part near the start). */
export class MultipartHeadError extends Error {
  override readonly name = 'MultipartHeadError';
}

export type MultipartHead = {
  /** The fields before the file part, by name (the first of a name wins). */
  fields: Map<string, string>;
  /** The file part's field name and file name ('' when no file was chosen). */
  file: { field: string; filename: string };
  /** Bytes from the file's content to the end of the body, when the body says its length. */
  fileBytesAtMost: number | undefined;
  /**
   * The body to send on: `fields` as parts of their own, then the file part and the rest of the
   * original body exactly as it arrives. Readable once.
   */
  forward(fields: readonly (readonly [string, string])[]): ReadableStream<Uint8Array>;
  /**
   * Reads the rest of the body and drops it, in the background: for an answer given without
   * sending the file on, so the browser finishes its upload and reads the answer. (Cancelling
   * the body instead would close the browser's connection before the answer.)
   */
  discard(): void;
  /** The same boundary, for the Content-Type of what `forward` gives. */
  contentType: string;
};

export function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

const param = (headers: string, name: string) => new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(headers)?.[1];

/** Reads `body` up to the start of its first file part; the rest stays unread until `forward`'s stream is. */
export async function readMultipartHead(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  contentLength: number | undefined,
): Promise<MultipartHead> {
  const reader = body.getReader();
  const declared = boundaryOf(contentType);
  if (declared === undefined) {
    drain(reader);
    throw new MultipartHeadError('Send the form as multipart/form-data.');
  }
  const boundary = declared;
  const delimiter = Buffer.from(`--${boundary}`);
  const nextPart = Buffer.from(`\r\n--${boundary}`);
  try {
    return await readHead();
  } catch (error) {
    // Refused before the file: the answer still has to reach a browser that is still sending.
    if (error instanceof MultipartHeadError) drain(reader);
    throw error;
  }

  async function readHead(): Promise<MultipartHead> {
    const fields = new Map<string, string>();
    let buffer = Buffer.alloc(0);
    /** Where the part being read begins (at its `--boundary`). */
    let at = 0;
    for (;;) {
      const found = parseFrom(buffer, at);
      if (found.kind === 'file') {
        const head = buffer.subarray(found.partStart);
        const closing = nextPart.length + 4; // \r\n--boundary--\r\n after the file's bytes
        return {
          fields,
          file: { field: found.name, filename: found.filename },
          fileBytesAtMost: contentLength === undefined ? undefined : Math.max(0, contentLength - found.contentStart - closing),
          contentType: `multipart/form-data; boundary=${boundary}`,
          forward: (extra) => concatenated(encodeFields(boundary, extra), head, reader),
          discard: () => drain(reader),
        };
      }
      if (found.kind === 'field') {
        if (!fields.has(found.name)) fields.set(found.name, found.value);
        at = found.next;
        continue;
      }
      if (found.kind === 'end') throw new MultipartHeadError('The form has no file.');
      if (buffer.length > MAX_HEAD_BYTES) throw new MultipartHeadError('The form has no file near its start.');
      const { done, value } = await reader.read();
      if (done) throw new MultipartHeadError('The form ends before its file.');
      buffer = Buffer.concat([buffer, value]);
    }
  }

  type Found =
    | { kind: 'more' }
    | { kind: 'end' }
    | { kind: 'field'; name: string; value: string; next: number }
    | { kind: 'file'; name: string; filename: string; partStart: number; contentStart: number };

  function parseFrom(bytes: Buffer, start: number): Found {
    if (bytes.length < start + delimiter.length + 2) return { kind: 'more' };
    if (bytes.indexOf(delimiter, start) !== start) throw new MultipartHeadError('The form does not start with its boundary.');
    const after = start + delimiter.length;
    if (bytes[after] === 0x2d && bytes[after + 1] === 0x2d) return { kind: 'end' };
    if (!bytes.subarray(after, after + 2).equals(CRLF)) throw new MultipartHeadError('The form has a malformed boundary line.');
    const headersEnd = bytes.indexOf(HEADERS_END, after);
    if (headersEnd < 0) return { kind: 'more' };
    const headers = bytes.subarray(after + 2, headersEnd).toString('utf8');
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = param(disposition, 'name') ?? '';
    const filename = param(disposition, 'filename');
    const contentStart = headersEnd + HEADERS_END.length;
    // A file part has a file name ("" for an input left empty; some encoders then leave the
    // parameter out) and a Content-Type; a field part has neither.
    if (filename !== undefined || /^content-type:/im.test(headers))
      return { kind: 'file', name, filename: filename ?? '', partStart: start, contentStart };
    const valueEnd = bytes.indexOf(nextPart, contentStart);
    if (valueEnd < 0) return { kind: 'more' };
    return { kind: 'field', name, value: bytes.subarray(contentStart, valueEnd).toString('utf8'), next: valueEnd + CRLF.length };
  }
}

/** Field parts in the browser's own form (names and values are ours: no quotes or line breaks to escape). */
export function encodeFields(boundary: string, fields: readonly (readonly [string, string])[]): Buffer {
  return Buffer.from(
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join(''),
  );
}

/** `first`, `second`, then whatever `reader` still has; pulled as the receiver reads, so nothing piles up. */
function concatenated(first: Uint8Array, second: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.length > 0) controller.enqueue(first);
      if (second.length > 0) controller.enqueue(second);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    // The API answered before taking all of it (a refusal): the rest is dropped, not cancelled.
    cancel: () => drain(reader),
  });
}

function drain(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    while (!(await reader.read()).done);
  })().catch(() => {});
}
