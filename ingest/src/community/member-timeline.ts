/*
 * One demo community member and the commands they send, each stamped with its moment, stream
 * and a command id, so the commands can run through the command-api's deciders as they are.
 */
import type { DiaryCommand } from '@reeltime/command-api/src/diary/index.ts';
import { latestCalendarDay } from '@reeltime/command-api/src/handling/answers.ts';
import type { ListCommand } from '@reeltime/command-api/src/lists/index.ts';
import type { PreferencesCommand } from '@reeltime/command-api/src/preferences/index.ts';
import type { RatingCommand } from '@reeltime/command-api/src/ratings/index.ts';
import { diaryStream, listStream, preferencesStream, ratingStream, type TitleId } from '@reeltime/schemas';
import type { CommunityTitle } from './catalog.ts';
import { communityId } from './community-id.ts';
import type { Random } from './random.ts';

export type CommunityMember = {
  /** `p001`… for the community, `demo` for the demo account. */
  key: string;
  userId: string;
  watchlistId: string;
  displayName: string;
  email: string;
  demo: boolean;
  registeredAt: number;
  archetypes: readonly string[];
};

type Aggregate =
  | { aggregate: 'list'; command: ListCommand }
  | { aggregate: 'rating'; command: RatingCommand }
  | { aggregate: 'diary'; command: DiaryCommand }
  | { aggregate: 'preferences'; command: PreferencesCommand };

/**
 * One command a member sent, when, and to which stream. `commandId` stands in for the request
 * id (correlation and causation of its events): `demo-community:<member>:<n>`, so an event
 * shows where it came from.
 */
export type PlannedCommand = Aggregate & { at: number; member: number; seq: number; stream: string; commandId: string };

/** What a member thought of a title, as the timeline last recorded it. */
export type Rated = { title: CommunityTitle; score: number; review?: string; containsSpoilers: boolean; at: number };

/** Builds one member's commands; `at` values are all in (registeredAt, anchor). */
export class MemberTimeline {
  readonly commands: PlannedCommand[] = [];
  readonly rated = new Map<TitleId, Rated>();
  private seq = 0;
  private entries = 0;
  private lists = 0;

  constructor(
    private readonly random: Random,
    private readonly member: CommunityMember,
    private readonly index: number,
    private readonly anchor: number,
  ) {}

  private push(at: number, stream: string, planned: Aggregate): void {
    const seq = this.seq++;
    this.commands.push({
      ...planned,
      at: Math.round(at),
      member: this.index,
      seq,
      stream,
      commandId: `demo-community:${this.member.key}:${seq}`,
    } as PlannedCommand);
  }

  get userId() {
    return this.member.userId;
  }

  rate(at: number, title: CommunityTitle, score: number, review?: { review: string; containsSpoilers: boolean }): void {
    const { userId } = this;
    this.push(at, ratingStream(userId, title.titleId), {
      aggregate: 'rating',
      command: {
        type: 'RateTitle',
        actorId: userId,
        userId,
        titleId: title.titleId,
        score,
        review: review?.review,
        containsSpoilers: review?.containsSpoilers ?? false,
      },
    });
    this.rated.set(title.titleId, { title, score, review: review?.review, containsSpoilers: review?.containsSpoilers ?? false, at });
  }

  watch(at: number, title: CommunityTitle, rewatch?: boolean): void {
    const { userId } = this;
    const entryId = communityId(`diary:${this.member.key}:${this.entries++}`);
    const watchedOn = new Date(at).toISOString().slice(0, 10);
    const command: DiaryCommand = {
      type: 'LogWatch',
      actorId: userId,
      userId,
      entryId,
      titleId: title.titleId,
      watchedOn,
      today: latestCalendarDay(new Date(this.anchor)),
    };
    if (rewatch !== undefined) command.rewatch = rewatch;
    this.push(at, diaryStream(userId), { aggregate: 'diary', command });
  }

  newListId(): string {
    return communityId(`list:${this.member.key}:${this.lists++}`);
  }

  list(at: number, listId: string, command: ListCommand): void {
    this.push(at, listStream(listId), { aggregate: 'list', command });
  }

  preferences(at: number, command: Omit<Extract<PreferencesCommand, { type: 'SetPreferences' }>, 'type' | 'actorId' | 'userId'>): void {
    const { userId } = this;
    this.push(at, preferencesStream(userId), {
      aggregate: 'preferences',
      command: { type: 'SetPreferences', actorId: userId, userId, ...command },
    });
  }
}
