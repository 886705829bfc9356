import type { MediaType } from '@reeltime/schemas';

/** One user's relation to one title: any of rated, watched and listed. */
export type Interaction = {
  /** 1..10, null when not rated. */
  score: number | null;
  /** Diary entries for it. */
  watches: number;
  /** Lists of theirs holding it. */
  lists: number;
  /** When it began (milliseconds): what sittings are cut by. */
  at: number;
};

/**
 * How much an interaction says about taste. Every interaction counts (people rate what they
 * chose to watch, even what they disliked), a high rating more than a low one; a watch
 * without a rating as much as an average rating, a list entry (an intention) a little less.
 */
export function interactionWeight(interaction: Interaction): number {
  if (interaction.score !== null) return 0.5 + interaction.score / 10;
  if (interaction.watches > 0) return 1;
  return 0.8;
}

/** Everything the engine knows about one user. */
export class Taste {
  /** By the title's catalog index, in the order they began. */
  readonly interactions = new Map<number, Interaction>();
  /** Diary entry id → title index, so a removed entry finds its title. */
  readonly entries = new Map<string, number>();
  readonly likedGenres = new Set<number>();
  readonly dislikedGenres = new Set<number>();
  readonly likedPeople = new Set<number>();
  readonly languages = new Set<string>();
  readonly mediaTypes = new Set<MediaType>();
  /** The top ten ids last written, to announce only real changes. */
  shown: readonly string[] = [];

  get isEmpty(): boolean {
    return (
      this.interactions.size === 0 &&
      this.likedGenres.size + this.dislikedGenres.size + this.likedPeople.size + this.languages.size + this.mediaTypes.size === 0
    );
  }

  /**
   * Changes (or starts) the interaction with a title and drops it once nothing is left of it.
   * Answers +1 when the interaction began, -1 when it ended, 0 otherwise (popularity counts people).
   */
  touch(title: number, at: number, change: (interaction: Interaction) => void): -1 | 0 | 1 {
    let interaction = this.interactions.get(title);
    const began = interaction === undefined;
    if (interaction === undefined) {
      interaction = { score: null, watches: 0, lists: 0, at };
      this.interactions.set(title, interaction);
    }
    change(interaction);
    if (interaction.score === null && interaction.watches <= 0 && interaction.lists <= 0) {
      this.interactions.delete(title);
      return began ? 0 : -1;
    }
    return began ? 1 : 0;
  }
}
