import type { ParamMatcher } from '@sveltejs/kit';

/** `movie:<tmdbId>` or `tv:<tmdbId>`, as the APIs name titles. */
export const match: ParamMatcher = (param) => /^(movie|tv):[1-9][0-9]{0,10}$/.test(param);
