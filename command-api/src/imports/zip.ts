import { Unzip, UnzipInflate } from 'fflate';
import { ImportFileError, type UploadedFile } from './rows.ts';

export type ZipLimits = {
  /** Bytes all wanted entries may unpack to together (zip bombs stop here, whatever the headers claim). */
  maxUnpackedBytes: number;
  maxEntries: number;
};

export const isZip = (bytes: Uint8Array) =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** A name that would land outside the folder it is unpacked into (`../x`, `/etc/x`, `C:\x`). */
export function escapesArchive(name: string): boolean {
  const normalized = name.replaceAll('\\', '/');
  return (
    normalized.startsWith('/') ||
    /^[a-zA-Z]:/.test(normalized) ||
    normalized.split('/').some((part) => part === '..') ||
    normalized.includes('\0')
  );
}

/**
 * The entries of a zip that `wanted` accepts, unpacked in memory. Every name is checked first
 * (one escaping path refuses the whole file), and unpacking counts the bytes really produced,
 * stopping at the limit: the sizes in the headers are the attacker's word.
 */
export function unzipEntries(zipName: string, bytes: Uint8Array, limits: ZipLimits, wanted: (name: string) => boolean): UploadedFile[] {
  const files: UploadedFile[] = [];
  let entries = 0;
  let unpacked = 0;
  let failure: ImportFileError | undefined;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    if (failure) return;
    entries++;
    if (entries > limits.maxEntries) {
      failure = new ImportFileError(zipName, 0, `holds more than ${limits.maxEntries} entries`, 413);
      return;
    }
    if (escapesArchive(file.name)) {
      failure = new ImportFileError(file.name, 0, `path escapes the archive (in ${zipName})`);
      return;
    }
    if (file.name.endsWith('/') || !wanted(file.name)) return;
    const chunks: Uint8Array[] = [];
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = new ImportFileError(file.name, 0, `cannot be unpacked (${error.message})`);
        return;
      }
      unpacked += chunk.length;
      if (unpacked > limits.maxUnpackedBytes) {
        failure = new ImportFileError(zipName, 0, `unpacks to more than ${limits.maxUnpackedBytes} bytes`, 413);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files.push({ name: file.name, bytes: Buffer.concat(chunks) });
    };
    try {
      file.start();
    } catch (error) {
      failure ??= new ImportFileError(file.name, 0, `cannot be unpacked (${(error as Error).message})`);
    }
  };
  try {
    unzip.push(bytes, true);
  } catch (error) {
    failure ??= new ImportFileError(zipName, 0, `is not a readable zip (${(error as Error).message})`);
  }
  if (failure) throw failure;
  return files;
}
