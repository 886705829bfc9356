import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MT19937, randomInterval, shuffleInPlace } from './mt19937.ts';

/*
 * A small MovieLens folder (ml-latest layout) with an obvious taste structure for tests:
 * three groups of 10 users, each group loving its own 13 titles (one genre each) and rating
 * a couple of the others' titles low. Popularity cannot tell the groups apart; any
 * collaborative recommender can.
 */

export const SYNTHETIC = { users: 30, titles: 39, groups: 3, titlesPerGroup: 13, likedPerUser: 10 } as const;
const GENRES = ['Action|Sci-Fi', 'Romance|Drama', 'Horror|Thriller'];

export function writeSyntheticMovieLens(directory: string, seed = 1): void {
  mkdirSync(directory, { recursive: true });
  const rng = new MT19937(seed);
  const movies = ['movieId,title,genres'];
  for (let movieId = 1; movieId <= SYNTHETIC.titles; movieId++) {
    const group = Math.floor((movieId - 1) / SYNTHETIC.titlesPerGroup);
    movies.push(`${movieId},"Film ${movieId}, The (${1990 + movieId})",${GENRES[group]}`);
  }
  const ratings = ['userId,movieId,rating,timestamp'];
  let clock = 1_500_000_000;
  for (let userId = 1; userId <= SYNTHETIC.users; userId++) {
    const group = (userId - 1) % SYNTHETIC.groups;
    const own = Array.from({ length: SYNTHETIC.titlesPerGroup }, (_, i) => group * SYNTHETIC.titlesPerGroup + i + 1);
    const liked = [...shuffleInPlace(rng, own)].slice(0, SYNTHETIC.likedPerUser);
    const others = Array.from({ length: SYNTHETIC.titles }, (_, i) => i + 1).filter(
      (id) => Math.floor((id - 1) / SYNTHETIC.titlesPerGroup) !== group,
    );
    const disliked = [...shuffleInPlace(rng, others)].slice(0, 2);
    for (const movieId of liked) ratings.push(`${userId},${movieId},${4 + randomInterval(rng, 2) / 2},${(clock += 60)}`);
    for (const movieId of disliked) ratings.push(`${userId},${movieId},${1 + randomInterval(rng, 2) / 2},${(clock += 60)}`);
  }
  writeFileSync(path.join(directory, 'movies.csv'), `${movies.join('\r\n')}\r\n`);
  writeFileSync(path.join(directory, 'ratings.csv'), `${ratings.join('\r\n')}\r\n`);
}
