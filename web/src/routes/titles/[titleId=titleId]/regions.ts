/** Where-to-watch regions: ISO 3166-1 alpha-2 codes, as TMDb (JustWatch) keys them. */

export const FALLBACK_REGION = 'US';
const REGION = /^[A-Z]{2}$/;

/**
 * The region of the most preferred language tag that names one (`en-GB;q=0.9` → `GB`,
 * `zh-Hant-TW` → `TW`), else the US. Tags without a region (`de`) say nothing about where
 * someone lives, so they are skipped rather than guessed.
 */
export function preferredRegion(acceptLanguage: string | null): string {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((param) => param.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of tags) {
    const region = tag
      .split('-')
      .slice(1)
      .find((subtag) => REGION.test(subtag.toUpperCase()) && subtag.length === 2);
    if (region) return region.toUpperCase();
  }
  return FALLBACK_REGION;
}

/** `?region=gb` → `GB`; anything that is not a region code → null. */
export function parseRegion(value: string | null): string | null {
  const code = value?.trim().toUpperCase() ?? '';
  return REGION.test(code) ? code : null;
}

const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** `GB` → `United Kingdom`. */
export function regionName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
