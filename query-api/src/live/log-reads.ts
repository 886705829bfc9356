import { sql } from 'slonik';
import { type ReadDb, readQuery } from '../db.ts';
import type { Channel } from './channels.ts';
import type { LiveUpdate } from './update.ts';

/** Whoever may watch a channel: a list only if it is public or theirs (an unknown list: nobody). */
export async function mayWatch(db: ReadDb, channel: Channel, userId: string | undefined): Promise<boolean> {
  if (channel.kind !== 'list') return true;
  const [list] = await db.any<{ owner_id: string; visibility: string }>(
    readQuery`SELECT owner_id, visibility FROM ${db.read.lists} WHERE list_id = ${channel.id!}`,
  );
  return list !== undefined && (list.visibility === 'public' || list.owner_id === userId);
}

/** The position of the oldest update the live-update log still holds (older ones were pruned). */
export async function oldestLoggedPosition(db: ReadDb): Promise<string | undefined> {
  const [oldest] = await db.any<{ position: string }>(readQuery`SELECT position FROM ${db.read.live_updates} ORDER BY created_at LIMIT 1`);
  return oldest?.position;
}

/** Logged updates of these (internal) channels after `from`, in position order, `limit` at most. */
export async function loggedUpdates(db: ReadDb, channels: string[], from: string, limit: number): Promise<LiveUpdate[]> {
  return db.any<LiveUpdate>(
    readQuery`SELECT channel, position, data FROM ${db.read.live_updates}
                WHERE channel = ANY(${sql.array(channels, 'text')}) AND position > ${from} ORDER BY position LIMIT ${limit}`,
  );
}
