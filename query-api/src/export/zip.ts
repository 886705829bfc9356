import { Zip, ZipDeflate } from 'fflate';
import {
  HEADERS,
  csv,
  diaryCells,
  isFilm,
  listFileName,
  listHeader,
  listItemCells,
  nothingLeftOut,
  ratingCells,
  readme,
  reviewCells,
  watchedCells,
  watchlistCells,
  type Cell,
  type LeftOut,
} from './letterboxd.ts';
import {
  diaryQuery,
  listItemsQuery,
  ratingsQuery,
  watchedQuery,
  type DiaryRow,
  type ListItemRow,
  type ProfileRow,
  type RatingRow,
  type TitleRow,
  type WatchedRow,
} from './rows.ts';
import type { ExportSnapshot } from './snapshot.ts';

/**
 * fflate's streaming zip compresses synchronously as data is pushed and hands the archive's
 * bytes to a callback; this collects them so a generator can yield them after each batch. Rows
 * are read only as fast as the archive is consumed, so the zip never holds more than a batch.
 */
class ZipStream {
  readonly #ready: Uint8Array[] = [];
  #failure: Error | null = null;
  readonly #zip = new Zip((error, chunk) => {
    if (error) this.#failure = error;
    else this.#ready.push(chunk);
  });

  file(name: string): (text: string, last?: boolean) => void {
    const file = new ZipDeflate(name, { level: 6 });
    this.#zip.add(file);
    return (text, last = false) => file.push(Buffer.from(text, 'utf8'), last);
  }

  end(): void {
    this.#zip.end();
  }

  /** The archive bytes made since the last call. */
  take(): Uint8Array[] {
    if (this.#failure) throw this.#failure;
    return this.#ready.splice(0);
  }
}

/**
 * Letterboxd's export layout as one zip: ratings.csv, diary.csv, watched.csv, watchlist.csv,
 * reviews.csv, lists/<name>.csv (the user's other lists) and a README.txt, written last, saying
 * what was left out. Films only; the JSON export has everything.
 */
export async function* exportLetterboxd(snapshot: ExportSnapshot, profile: ProfileRow, exportedAt: string): AsyncGenerator<Uint8Array> {
  const zip = new ZipStream();
  const left = nothingLeftOut();
  const { read } = snapshot;
  const userId = profile.user_id;

  yield* csvFile(zip, 'ratings.csv', HEADERS.ratings, snapshot.batches<RatingRow>(ratingsQuery(read, userId)), (row) => {
    if (isFilm(row)) return ratingCells(row);
    left.ratings++;
  });
  yield* csvFile(zip, 'diary.csv', HEADERS.diary, snapshot.batches<DiaryRow>(diaryQuery(read, userId)), (row) => {
    if (isFilm(row)) return diaryCells(row);
    left.diary++;
  });
  yield* csvFile(zip, 'watched.csv', HEADERS.watched, snapshot.batches<WatchedRow>(watchedQuery(read, userId)), (row) => {
    if (isFilm(row)) return watchedCells(row);
    left.watched++;
  });
  yield* lists(zip, snapshot.batches<ListItemRow>(listItemsQuery(read, userId)), left);
  yield* csvFile(zip, 'reviews.csv', HEADERS.reviews, snapshot.batches<RatingRow>(ratingsQuery(read, userId)), (row) => {
    if (row.review === null) return undefined;
    if (row.contains_spoilers) left.spoilerFlags++;
    if (isFilm(row)) return reviewCells(row);
    left.reviews++;
  });
  zip.file('README.txt')(readme(left, exportedAt), true);
  zip.end();
  yield* zip.take();
}

async function* csvFile<R>(
  zip: ZipStream,
  name: string,
  header: readonly string[],
  batches: AsyncIterable<R[]>,
  cells: (row: R) => Cell[] | undefined,
): AsyncGenerator<Uint8Array> {
  const write = zip.file(name);
  write(csv([header]));
  for await (const batch of batches) {
    const rows = batch.map(cells).filter((row) => row !== undefined);
    if (rows.length > 0) write(csv(rows));
    yield* zip.take();
  }
  write('', true);
  yield* zip.take();
}

/**
 * One pass over every list's items: the watchlist's become watchlist.csv, each other list its
 * own file in lists/, begun when its first row arrives and finished when the next list's does.
 */
async function* lists(zip: ZipStream, batches: AsyncIterable<ListItemRow[]>, left: LeftOut): AsyncGenerator<Uint8Array> {
  const names = new Set<string>();
  let write: ((text: string, last?: boolean) => void) | undefined;
  let listId: string | undefined;
  let isWatchlist = false;
  let position = 0;
  let sawWatchlist = false;
  let pending: Cell[][] = [];
  const flush = (last = false) => {
    write?.(pending.length > 0 ? csv(pending) : '', last);
    pending = [];
  };
  for await (const batch of batches) {
    for (const row of batch) {
      if (row.list_id !== listId) {
        flush(true);
        listId = row.list_id;
        isWatchlist = row.kind === 'watchlist';
        sawWatchlist ||= isWatchlist;
        position = 0;
        write = zip.file(isWatchlist ? 'watchlist.csv' : listFileName(row.name, names));
        write(isWatchlist ? csv([HEADERS.watchlist]) : listHeader(row));
      }
      if (row.title_id === null) continue;
      const item = row as ListItemRow & TitleRow;
      if (isFilm(item)) pending.push(isWatchlist ? watchlistCells(item) : listItemCells(item, ++position));
      else if (isWatchlist) left.watchlist++;
      else left.listItems++;
    }
    flush();
    yield* zip.take();
  }
  flush(true);
  // Every account has a watchlist; should one be missing, Letterboxd's layout still has the file.
  if (!sawWatchlist) zip.file('watchlist.csv')(csv([HEADERS.watchlist]), true);
  yield* zip.take();
}
