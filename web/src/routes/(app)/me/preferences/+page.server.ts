import { fail, redirect } from '@sveltejs/kit';
import type { GenreId, PreferencesBody, RatingPage } from '@reeltime/schemas';
import { api, failure, type Api } from '$lib/server/api.ts';
import { liveKey } from '$lib/live/index.ts';
import type { Actions, PageServerLoad } from './$types';

type Person = { personId: number; name: string | null; from: string | null };

/** How many of your best-rated titles are read for people to suggest (and to name the ones you like). */
const TITLES_FOR_PEOPLE = 8;
const SUGGESTED_PEOPLE = 12;

/**
 * Preferences keep person ids only, and query-api has no people endpoint: names come from the
 * cast and directors of the titles you rated highest, which are also the people worth offering.
 */
async function peopleFromYourRatings(client: Api, ratings: RatingPage): Promise<Map<number, Person>> {
  const best = [...ratings.items].sort((a, b) => b.score - a.score).slice(0, TITLES_FOR_PEOPLE);
  const details = await Promise.allSettled(best.map((rating) => client.title(rating.title.id)));
  const people = new Map<number, Person>();
  for (const result of details) {
    if (result.status !== 'fulfilled') continue;
    const title = result.value;
    for (const person of [...title.directors, ...title.cast.filter((member) => member.order < 3)]) {
      if (!people.has(person.personId)) people.set(person.personId, { personId: person.personId, name: person.name, from: title.title });
    }
  }
  return people;
}

export const load: PageServerLoad = async (event) => {
  event.depends(liveKey('me'));
  const client = api(event);
  const [preferences, genres, ratings] = await Promise.all([client.myPreferences(), client.genres(), client.myRatings({ limit: 40 })]);
  const known = await peopleFromYourRatings(client, ratings);
  const liked = new Set(preferences.people.liked);
  return {
    preferences,
    genres,
    likedPeople: preferences.people.liked.map((personId): Person => known.get(personId) ?? { personId, name: null, from: null }),
    suggestedPeople: [...known.values()].filter((person) => !liked.has(person.personId)).slice(0, SUGGESTED_PEOPLE),
  };
};

const GENRE_FIELD = /^genre-(\d+)$/;

/** The whole set the form shows, as `PUT /preferences` takes it. */
function preferencesFrom(data: FormData): PreferencesBody {
  // Ids are checked by command-api, which names any unknown one.
  const liked: GenreId[] = [];
  const disliked: GenreId[] = [];
  for (const [key, value] of data) {
    const match = GENRE_FIELD.exec(key);
    if (!match) continue;
    const genreId = Number(match[1]) as GenreId;
    if (value === 'like') liked.push(genreId);
    else if (value === 'dislike') disliked.push(genreId);
  }
  const removed = Number(data.get('removePerson'));
  const people = [...new Set(data.getAll('person').map(Number))].filter((id) => Number.isInteger(id) && id > 0 && id !== removed);
  return {
    genres: { liked, disliked },
    people: { liked: people },
    languages: [...new Set(data.getAll('language').map(String))],
    mediaTypes: data.getAll('mediaType').filter((type): type is 'movie' | 'tv' => type === 'movie' || type === 'tv'),
  };
}

export const actions: Actions = {
  save: async (event) => {
    if (!event.locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    const body = preferencesFrom(await event.request.formData());
    try {
      await api(event).setPreferences(body);
    } catch (cause) {
      const answer = failure(cause);
      // A field error names the part of the body (`/languages/3`): say it in words.
      if (answer.status === 400)
        return fail(400, { ...answer.data, message: 'Some of these preferences could not be saved. Please check them and try again.' });
      return answer;
    }
    return { saved: true };
  },
};
