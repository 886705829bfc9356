import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaType } from '../tmdb/client.ts';
import { startTmdbEmulator, type TmdbEmulator } from '../tmdb/emulator.ts';

/** `ingest/demo/`: TMDb details responses saved as `movie/<id>.json` and `tv/<id>.json`. */
export const DEMO_DIRECTORY = fileURLToPath(new URL('../../demo/', import.meta.url));

type Details = { id: number } & Record<string, unknown>;
export type DemoCatalog = Record<MediaType, Details[]>;

async function loadFolder(directory: string, mediaType: MediaType): Promise<Details[]> {
  let files: string[];
  try {
    files = (await readdir(path.join(directory, mediaType))).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(
    files.map(async (file) => {
      const where = path.join(directory, mediaType, file);
      const details = JSON.parse(await readFile(where, 'utf8')) as Details;
      // A file named for another id would serve one title under two ids.
      if (`${details?.id}.json` !== file) throw new Error(`${where}: expected "id": ${path.basename(file, '.json')}, found ${details?.id}`);
      return details;
    }),
  );
}

/** Reads the saved responses; a missing folder is an empty catalog. */
export async function loadDemoCatalog(directory: string = DEMO_DIRECTORY): Promise<DemoCatalog> {
  const [movie, tv] = await Promise.all([loadFolder(directory, 'movie'), loadFolder(directory, 'tv')]);
  return { movie, tv };
}

/**
 * Serves the demo catalog as TMDb v3 on an ephemeral local port: details, popular, trending,
 * and change feeds that list nothing (the saved catalog never changes).
 */
export async function startDemoServer(directory: string = DEMO_DIRECTORY): Promise<TmdbEmulator> {
  const catalog = await loadDemoCatalog(directory);
  return startTmdbEmulator({ movies: catalog.movie, tv: catalog.tv });
}
