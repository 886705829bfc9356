import type { MediaType, TitleChanges, TitleImportedData } from '@reeltime/schemas';

/** What scoring and reasons need to know about a title. */
export type TitleFeatures = {
  /** Dense index, stable for the life of the engine (arrays of per-title numbers use it). */
  readonly index: number;
  readonly titleId: string;
  name: string;
  mediaType: MediaType;
  language: string;
  genreIds: readonly number[];
  /** One bit per genre (see `genreBit`), for fast overlap tests. */
  genreMask: number;
  /** False for a title seen in activity before its import: it has no name to show yet. */
  imported: boolean;
  directors: readonly number[];
  cast: readonly number[];
  /** Directors and the top-billed cast. */
  people: readonly number[];
  /** TMDb keyword ids, the first KEYWORDS_KEPT (TMDb lists the defining ones first). */
  keywords: readonly number[];
  /** TMDb's popularity: a prior for titles nobody here has touched yet. */
  tmdbPopularity: number;
};

const KEYWORDS_KEPT = 20;

/** Cast members past this billing order say little about a title's appeal. */
const TOP_BILLED = 5;

/** The catalog as the engine sees it: features by title id and by dense index. */
export class Catalog {
  readonly #byId = new Map<string, TitleFeatures>();
  readonly #byIndex: TitleFeatures[] = [];
  readonly #personNames = new Map<number, string>();
  readonly #genreBits = new Map<number, number>();
  #flags: { imported: Uint8Array; genreMasks: Int32Array } | undefined;
  #byPerson: Map<number, number[]> | undefined;

  get size(): number {
    return this.#byIndex.length;
  }

  /** Per title index, whether it is imported and its genre mask, as flat arrays (for scans). */
  flags(): { imported: Uint8Array; genreMasks: Int32Array } {
    if (this.#flags === undefined || this.#flags.imported.length !== this.#byIndex.length) {
      const imported = new Uint8Array(this.#byIndex.length);
      const genreMasks = new Int32Array(this.#byIndex.length);
      this.#byIndex.forEach((title, i) => {
        imported[i] = title.imported ? 1 : 0;
        genreMasks[i] = title.genreMask;
      });
      this.#flags = { imported, genreMasks };
    }
    return this.#flags;
  }

  get(titleId: string): TitleFeatures | undefined {
    return this.#byId.get(titleId);
  }

  at(index: number): TitleFeatures {
    return this.#byIndex[index]!;
  }

  personName(personId: number): string | undefined {
    return this.#personNames.get(personId);
  }

  /** A title's dense index, creating a bare entry for a title seen in activity before its import. */
  indexOf(titleId: string): number {
    const known = this.#byId.get(titleId);
    if (known !== undefined) return known.index;
    const mediaType: MediaType = titleId.startsWith('tv:') ? 'tv' : 'movie';
    const features: TitleFeatures = {
      index: this.#byIndex.length,
      titleId,
      name: titleId,
      mediaType,
      language: '',
      genreIds: [],
      genreMask: 0,
      imported: false,
      directors: [],
      cast: [],
      people: [],
      keywords: [],
      tmdbPopularity: 0,
    };
    this.#byId.set(titleId, features);
    this.#byIndex.push(features);
    return features.index;
  }

  imported(data: TitleImportedData): void {
    const features = this.#byIndex[this.indexOf(data.titleId)]!;
    features.mediaType = data.mediaType;
    features.imported = true;
    this.#flags = undefined;
    this.#change(features, data);
  }

  updated(titleId: string, changes: TitleChanges): void {
    const known = this.#byId.get(titleId);
    if (known !== undefined) this.#change(known, changes);
  }

  #change(features: TitleFeatures, changes: TitleChanges): void {
    this.#flags = undefined;
    this.#byPerson = undefined;
    if (changes.title !== undefined) features.name = changes.title;
    if (changes.originalLanguage !== undefined) features.language = changes.originalLanguage;
    if (changes.genreIds !== undefined) {
      features.genreIds = changes.genreIds;
      features.genreMask = changes.genreIds.reduce((mask, id) => mask | this.genreBit(id), 0);
    }
    if (changes.popularity !== undefined) features.tmdbPopularity = changes.popularity;
    if (changes.keywords !== undefined) features.keywords = changes.keywords.slice(0, KEYWORDS_KEPT).map((keyword) => keyword.id);
    if (changes.directors !== undefined) features.directors = this.#named(changes.directors);
    if (changes.cast !== undefined) features.cast = this.#named(changes.cast.filter((member) => member.order < TOP_BILLED));
    features.people = [...new Set([...features.directors, ...features.cast])];
  }

  /** Titles a person directs or is top-billed in (catalog indices, in import order). */
  titlesWith(personId: number): readonly number[] {
    if (this.#byPerson === undefined) {
      this.#byPerson = new Map();
      for (const title of this.#byIndex) {
        for (const id of title.people) {
          const titles = this.#byPerson.get(id) ?? [];
          titles.push(title.index);
          this.#byPerson.set(id, titles);
        }
      }
    }
    return this.#byPerson.get(personId) ?? [];
  }

  #named(people: readonly { personId: number; name: string }[]): number[] {
    for (const person of people) this.#personNames.set(person.personId, person.name);
    return people.map((person) => person.personId);
  }

  /** A genre's bit (32 genres at most fit: TMDb has 28). Unknown genres past 32 share the last bit. */
  genreBit(genreId: number): number {
    let bit = this.#genreBits.get(genreId);
    if (bit === undefined) {
      bit = 1 << Math.min(this.#genreBits.size, 31);
      this.#genreBits.set(genreId, bit);
    }
    return bit;
  }
}

/** Genre overlap of two titles' genre masks, 0..1. */
export function jaccard(a: number, b: number): number {
  const union = bits(a | b);
  return union === 0 ? 0 : bits(a & b) / union;
}

function bits(mask: number): number {
  let v = mask - ((mask >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
