import type { MediaType, TitleId, TitleImportedData } from '@reeltime/schemas';
import { normalizeMovie, normalizeTv } from '../catalog/normalize.ts';
import { DEMO_DIRECTORY, loadDemoCatalog } from '../offline/demo-server.ts';
import type { TmdbMovieDetails, TmdbTvDetails } from '../tmdb/schemas.ts';

/** What the community generator needs to know about a title: enough to have tastes about it. */
export type CommunityTitle = {
  titleId: TitleId;
  mediaType: MediaType;
  title: string;
  year: number | null;
  genreIds: readonly number[];
  language: string;
  popularity: number;
  /** TMDb's vote average: the generator's stand-in for how good the title is. */
  voteAverage: number;
  directors: readonly { personId: number; name: string }[];
};

export function communityTitle(data: TitleImportedData): CommunityTitle {
  return {
    titleId: data.titleId,
    mediaType: data.mediaType,
    title: data.title,
    year: data.year,
    genreIds: data.genreIds,
    language: data.originalLanguage,
    popularity: data.popularity,
    voteAverage: data.voteAverage,
    directors: data.directors.map(({ personId, name }) => ({ personId, name })),
  };
}

/**
 * The bundled demo catalog (`ingest/demo/`) as the sync records it, in title-id order. The files
 * were validated by the demo import that runs first; a title that does not normalize is skipped.
 */
export async function loadDemoTitles(directory: string = DEMO_DIRECTORY): Promise<CommunityTitle[]> {
  const catalog = await loadDemoCatalog(directory);
  const titles: CommunityTitle[] = [];
  const add = (normalize: () => TitleImportedData) => {
    try {
      titles.push(communityTitle(normalize()));
    } catch {
      // Not importable, so not in the store either: nobody can have rated it.
    }
  };
  for (const details of catalog.movie) add(() => normalizeMovie(details as unknown as TmdbMovieDetails));
  for (const details of catalog.tv) add(() => normalizeTv(details as unknown as TmdbTvDetails));
  return titles.sort((a, b) => (a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0));
}
