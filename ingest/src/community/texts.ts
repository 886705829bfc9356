import type { CommunityTitle } from './catalog.ts';
import type { Random } from './random.ts';

// Short reviews, list notes and list ideas. Written to read like people, not like a template:
// a band of openers per score, a line about the genre, sometimes the director.

const OPENERS: Record<'low' | 'mixed' | 'good' | 'great', readonly string[]> = {
  low: [
    'Could not get into this at all.',
    'I wanted to like it more than I did.',
    'Beautifully shot, dramatically inert.',
    'Turned it off twice before finishing.',
    'Everyone loves this one and I just do not see it.',
    'Too long by at least forty minutes.',
    'All style, no pulse.',
  ],
  mixed: [
    'Solid, if a little long.',
    'Some great scenes stuck in an okay film.',
    'Fine for a rainy afternoon.',
    'The first half is much stronger than the second.',
    'Good performances carrying a thin script.',
    'Not bad, not memorable either.',
    'I see why people like it; it just was not for me.',
  ],
  good: [
    'Really enjoyed this one.',
    'Holds up better than I expected.',
    'Confident, well paced and very rewatchable.',
    'Exactly what I was in the mood for.',
    'Great cast, and they all seem to be having fun.',
    'Smarter than it needed to be.',
    'Worth it for the last twenty minutes alone.',
  ],
  great: [
    'An absolute joy from start to finish.',
    'One of the best things I have watched in years.',
    'I keep thinking about it days later.',
    'Perfect. Not a wasted frame.',
    'This is why I love movies.',
    'Rewatched it the next day. No regrets.',
    'Every time I see it I notice something new.',
  ],
};

const GENRE_LINES: Readonly<Record<number, readonly string[]>> = {
  28: ['The action is clear and you always know where everyone is.', 'The set pieces earn their reputation.'],
  12: ['It feels like a proper adventure, the kind they rarely make now.'],
  16: ['The animation is gorgeous; pause on any frame.', 'Funny for kids, quietly devastating for adults.'],
  35: ['Laughed out loud more than once.', 'The jokes land because the characters are real.'],
  80: ['Tense, clever and morally murky in the best way.', 'Every character is working an angle.'],
  99: ['Made me rethink something I was sure about.', 'Gripping without ever feeling manipulative.'],
  18: ['The performances are the whole show.', 'Quiet, patient and deeply felt.'],
  10751: ['Watched it with the family and everyone was hooked.'],
  14: ['The world-building is so rich.'],
  27: ['Genuinely scary, and not just jump scares.', 'The sound design did most of the work on my nerves.'],
  10402: ['The soundtrack has been on repeat since.'],
  9648: ['Kept me guessing right up to the end.'],
  10749: ['The chemistry between the leads carries everything.'],
  878: ['Big ideas, and it trusts you to keep up.', 'The kind of science fiction that is really about people.'],
  53: ['My heart rate did not come down for two hours.'],
  10752: ['Hard to watch and impossible to forget.'],
  37: ['Those landscapes, that score.'],
  10759: ['Episode after episode, it never lets up.'],
  10765: ['The mythology keeps getting richer.'],
  10768: ['Sharper about power than most of the news.'],
};

const SERIES_LINES = [
  'Takes a few episodes to find its feet, then it is unstoppable.',
  'Binged the whole thing in a week.',
  'The later seasons are uneven, but the peak is very high.',
  'Stuck the landing, which is rarer than it should be.',
];

const DIRECTOR_LINES = [
  '{director} at the height of their powers.',
  'You can tell {director} knew exactly what this film was.',
  'Now I want to watch everything {director} has made.',
];

const SPOILER_LINES = [
  'Spoilers: the reveal in the last act reframes everything before it, and the final shot is devastating.',
  'I did not see that death coming, and the film is braver for it.',
  'The twist works because the film plays fair: every clue is there on a rewatch.',
  'That ending. The main character choosing to walk away was the only honest way to finish this.',
  'Knowing who was behind it all from the start would ruin it, so do not read the comments.',
];

const band = (score: number) => (score <= 4 ? 'low' : score <= 6 ? 'mixed' : score <= 8 ? 'good' : 'great');

/** A one- to three-sentence review that fits the score and the title; sometimes with spoilers. */
export function reviewFor(random: Random, title: CommunityTitle, score: number): { review: string; containsSpoilers: boolean } {
  const sentences = [random.pick(OPENERS[band(score)])];
  const genreLines = title.genreIds.flatMap((id) => GENRE_LINES[id] ?? []);
  if (score >= 5 && genreLines.length > 0 && random.chance(0.6)) sentences.push(random.pick(genreLines));
  if (title.mediaType === 'tv' && random.chance(0.5)) sentences.push(random.pick(SERIES_LINES));
  const director = title.directors[0];
  if (title.mediaType === 'movie' && director && score >= 8 && random.chance(0.3))
    sentences.push(random.pick(DIRECTOR_LINES).replace('{director}', director.name));
  const containsSpoilers = score >= 5 && random.chance(0.12);
  if (containsSpoilers) sentences.push(random.pick(SPOILER_LINES));
  return { review: sentences.join(' '), containsSpoilers };
}

const NOTES = [
  'Still holds up.',
  'Start here.',
  'Watch it with subtitles, not dubbed.',
  'The best ending on this list.',
  'Bring tissues.',
  'Better on the second watch.',
  'The one that started it all for me.',
  'Criminally underseen.',
  'Skip the sequel.',
  'Perfect for a Sunday afternoon.',
  'See it on the biggest screen you can.',
  'The soundtrack alone earns its place.',
  'Do not read anything about it first.',
  'My dad’s favourite.',
];

export function itemNote(random: Random): string {
  return random.pick(NOTES);
}

/** A public list idea: a name people really use, and which titles belong on it. */
export type ListIdea = {
  name: string;
  descriptions: readonly string[];
  fits: (title: CommunityTitle) => boolean;
  /** Titles must also have been scored at least this high by the list's owner, when rated. */
  minScore: number;
};

const has = (title: CommunityTitle, ...genres: number[]) => title.genreIds.some((id) => genres.includes(id));
const movie = (title: CommunityTitle) => title.mediaType === 'movie';
const inYears = (title: CommunityTitle, from: number, to: number) => title.year !== null && title.year >= from && title.year <= to;

export const LIST_IDEAS: readonly ListIdea[] = [
  {
    name: 'Best of the 90s',
    descriptions: ['Ten years, no skips.', 'The decade that raised me.'],
    fits: (t) => movie(t) && inYears(t, 1990, 1999),
    minScore: 7,
  },
  {
    name: 'Best of the 2000s',
    descriptions: ['Before every film was a franchise.'],
    fits: (t) => movie(t) && inYears(t, 2000, 2009),
    minScore: 7,
  },
  {
    name: 'The 2010s, ranked',
    descriptions: ['Highly personal, frequently updated.'],
    fits: (t) => movie(t) && inYears(t, 2010, 2019),
    minScore: 7,
  },
  {
    name: 'Comfort rewatches',
    descriptions: ['For the nights when only something familiar will do.', 'Blanket, tea, one of these.'],
    fits: (t) => has(t, 35, 10751, 16, 10749, 12),
    minScore: 7,
  },
  {
    name: 'Essential sci-fi',
    descriptions: ['Where to start if you think you do not like science fiction.'],
    fits: (t) => has(t, 878, 10765),
    minScore: 7,
  },
  {
    name: 'Films that made me cry',
    descriptions: ['Bring tissues. I mean it.', 'No shame.'],
    fits: (t) => movie(t) && has(t, 18, 10749) && !has(t, 27),
    minScore: 8,
  },
  { name: 'Sunday night thrillers', descriptions: ['Lights off, phone away.'], fits: (t) => has(t, 53, 9648), minScore: 7 },
  { name: 'Animated favourites', descriptions: ['Animation is cinema.', 'Not just for kids.'], fits: (t) => has(t, 16), minScore: 7 },
  {
    name: 'Binge-worthy series',
    descriptions: ['Clear your weekend.', 'One more episode, I promise.'],
    fits: (t) => t.mediaType === 'tv',
    minScore: 7,
  },
  {
    name: 'Horror for people who hate horror',
    descriptions: ['Scary enough to count, not so scary you will regret it.'],
    fits: (t) => has(t, 27) || (has(t, 53) && has(t, 9648)),
    minScore: 6,
  },
  {
    name: 'Date night picks',
    descriptions: ['Tested in the field.', ''],
    fits: (t) => movie(t) && has(t, 10749, 35) && !has(t, 27, 10752),
    minScore: 7,
  },
  {
    name: 'Mind-benders',
    descriptions: ['You will want to talk about these afterwards.'],
    fits: (t) => has(t, 9648, 878) && has(t, 53, 9648, 878, 18),
    minScore: 7,
  },
  { name: 'World cinema starter pack', descriptions: ['Subtitles are a one-inch barrier.'], fits: (t) => t.language !== 'en', minScore: 7 },
  { name: 'Underrated gems', descriptions: ['Less hype, more heart.'], fits: (t) => t.popularity < 45, minScore: 7 },
  { name: 'Before I was born', descriptions: ['Old does not mean slow.'], fits: (t) => inYears(t, 1900, 1979), minScore: 7 },
  { name: 'Crime sprees', descriptions: ['Heists, hitmen and very bad decisions.'], fits: (t) => has(t, 80), minScore: 7 },
  {
    name: 'Family movie night',
    descriptions: ['Approved by a nine-year-old and her grandmother.'],
    fits: (t) => has(t, 10751, 16) && !has(t, 27, 53),
    minScore: 6,
  },
  { name: 'War stories', descriptions: ['Hard to watch, harder to forget.'], fits: (t) => has(t, 10752, 10768), minScore: 7 },
  { name: 'Laugh-out-loud comedies', descriptions: ['Guaranteed to fix a bad day.'], fits: (t) => has(t, 35), minScore: 7 },
  { name: 'Epic adventures', descriptions: ['Go big or go home.'], fits: (t) => has(t, 12, 14, 10759), minScore: 7 },
  { name: 'Japanese cinema', descriptions: ['From samurai to Studio Ghibli.'], fits: (t) => t.language === 'ja', minScore: 7 },
  { name: 'Documentaries worth your time', descriptions: ['True stories, well told.'], fits: (t) => has(t, 99), minScore: 6 },
  { name: 'Perfect tens', descriptions: ['Every one of these got a 10 from me.'], fits: () => true, minScore: 10 },
];

export const PRIVATE_LIST_NAMES = [
  'Maybe someday',
  'To watch with Sam',
  'Rewatch before the sequel',
  'Recommended by friends',
  'For the long flight',
  'Movies for Dad',
  'Film club ideas',
  'Halloween marathon',
  'Too sad for now',
  'Christmas break',
] as const;
