import { describe, expect, it } from 'vitest';
import { MultipartHeadError, boundaryOf, readMultipartHead } from './multipart-head.ts';

// Bodies as fetch encodes a FormData (the same layout browsers send), fed in small chunks so
// that boundaries and headers fall across chunk edges.

async function encoded(form: FormData): Promise<{ bytes: Uint8Array; contentType: string }> {
  const response = new Response(form);
  return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

/** `bytes` in chunks of `size`, counting how many bytes were read so far. */
function chunked(bytes: Uint8Array, size: number) {
  const read = { bytes: 0 };
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        const chunk = bytes.slice(offset, offset + size);
        offset += chunk.length;
        read.bytes = offset;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, read };
}

const form = (entries: [string, string | File][]) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};

describe('an upload form read up to its file', () => {
  it('gives the fields before the file, reads none of the file, and forwards the file with only the fields it is given', async () => {
    const content = new Uint8Array(100_000).map((_, i) => i % 251);
    const { bytes, contentType } = await encoded(
      form([
        ['idempotencyKey', 'key-1'],
        ['source', 'letterboxd'],
        ['file', new File([content], 'diary, "mine".csv', { type: 'text/csv' })],
      ]),
    );
    const { stream, read } = chunked(bytes, 7);
    const head = await readMultipartHead(stream, contentType, bytes.length);

    expect(Object.fromEntries(head.fields)).toEqual({ idempotencyKey: 'key-1', source: 'letterboxd' });
    expect(head.file).toEqual({ field: 'file', filename: 'diary, %22mine%22.csv' });
    expect(head.fileBytesAtMost).toBe(content.length);
    expect(read.bytes).toBeLessThan(1024);
    expect(boundaryOf(head.contentType)).toBe(boundaryOf(contentType));

    const forwarded = await new Response(head.forward([['source', 'imdb']]), { headers: { 'content-type': head.contentType } }).formData();
    expect([...forwarded.keys()]).toEqual(['source', 'file']);
    expect(forwarded.get('source')).toBe('imdb');
    const file = forwarded.get('file') as File;
    expect(file.name).toBe('diary, "mine".csv');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(content);
    expect(read.bytes).toBe(bytes.length);
  });

  it('reports a file input left empty by its empty file name', async () => {
    const { bytes, contentType } = await encoded(
      form([
        ['source', ''],
        ['file', new File([], '')],
      ]),
    );
    const head = await readMultipartHead(chunked(bytes, 64).stream, contentType, bytes.length);
    expect(head.fields.get('source')).toBe('');
    expect(head.file.filename).toBe('');
    expect(head.fileBytesAtMost).toBe(0);
  });

  it('refuses a body that is not multipart, or has no file part, and still reads it to the end', async () => {
    const json = chunked(new TextEncoder().encode('{"file":1}'), 4);
    await expect(readMultipartHead(json.stream, 'application/json', 10)).rejects.toThrow(MultipartHeadError);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(json.read.bytes).toBe(10);

    const { bytes, contentType } = await encoded(form([['source', 'imdb']]));
    const noFile = chunked(bytes, 5);
    await expect(readMultipartHead(noFile.stream, contentType, bytes.length)).rejects.toThrow('The form has no file.');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(noFile.read.bytes).toBe(bytes.length);
  });

  it('gives up on a field that never ends instead of reading the whole body into memory', async () => {
    const { bytes, contentType } = await encoded(
      form([
        ['source', 'x'.repeat(200_000)],
        ['file', new File(['a'], 'a.csv')],
      ]),
    );
    await expect(readMultipartHead(chunked(bytes, 4096).stream, contentType, bytes.length)).rejects.toThrow(
      'The form has no file near its start.',
    );
  });
});
