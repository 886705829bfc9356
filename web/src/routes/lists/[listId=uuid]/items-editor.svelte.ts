import { goto } from '$app/navigation';
import type { ListView } from '@reeltime/schemas';
import { movedAnnouncement, reordered, stepTarget } from './reorder.ts';
import { refusal, submitAction } from './submit.ts';

export type Item = ListView['items'][number];

export type ItemsEditorOptions = {
  /** The titles the server gave, in order; what is shown follows them whenever they change. */
  items: () => Item[];
  /** The list version the page shows; every change sends it as If-Match. */
  version: () => number;
  /** Titles in the whole list (the page may show only the first ones). */
  total: () => number;
  onbusy: (busy: boolean) => void;
  onversion: (version: number) => void;
  /** Every queued change has been answered (or dropped): time to read the list again. */
  onsettled: () => void;
};

type Drag = { titleId: string; from: number; pointerId: number; before: Item[] };

const nameOf = (item: Item) => item.title.title;

/**
 * The owner's changes to a list's titles (moves by step or by drag, removals), shown at once
 * (optimistic) and sent in turn: each command carries the version the one before it produced
 * (If-Match), so moves made faster than the server answers do not refuse one another. A refused
 * change puts the list back as it was before it, drops the changes queued after it (they were
 * built on it) and says why. Focus, pointer capture and measuring rows stay with the component.
 */
export class ItemsEditor {
  /** What the page shows: the server's order, overwritten at once by a change in flight. */
  items = $derived.by(() => this.options.items());
  /** Why the last change was refused; cleared when the next one starts. */
  message = $state<string | null>(null);
  /** What a screen reader says about the last change. */
  announcement = $state('');
  dragging = $state<Drag | null>(null);

  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  /** Bumped when a change is refused: the changes queued behind it are dropped. */
  #generation = 0;

  constructor(private readonly options: ItemsEditorOptions) {}

  /** Titles in the whole list, less those removed by changes the page has not read back yet. */
  get #count(): number {
    return this.options.total() - (this.options.items().length - this.items.length);
  }

  #indexOf(titleId: string): number {
    return this.items.findIndex((item) => item.title.id === titleId);
  }

  #enqueue(action: 'move' | 'removeItem', fields: Record<string, string>, before: Item[]): void {
    const mine = this.#generation;
    this.message = null;
    this.#queued++;
    this.options.onbusy(true);
    this.#queue = this.#queue.then(async () => {
      if (mine !== this.#generation) return;
      const result = await submitAction(action, { ...fields, version: String(this.options.version()) });
      if (result.type === 'success') {
        const next = result.data?.version;
        if (typeof next === 'number') this.options.onversion(next);
        return;
      }
      if (result.type === 'redirect') {
        this.#generation++;
        await goto(result.location);
        return;
      }
      this.#generation++;
      this.items = before;
      this.message = refusal(result);
      this.announcement = '';
    });
    void this.#queue.finally(() => {
      this.#queued--;
      if (this.#queued > 0) return;
      this.options.onbusy(false);
      this.options.onsettled();
    });
  }

  /** Moves a title one place; false when it is not shown or cannot go that way. */
  move(titleId: string, direction: 'up' | 'down'): boolean {
    const from = this.#indexOf(titleId);
    const item = this.items[from];
    if (!item) return false;
    const to = stepTarget(from, direction, this.#count);
    if (to === null) return false;
    const before = [...this.items];
    this.items = reordered(this.items, from, to);
    this.announcement = movedAnnouncement(nameOf(item), to, this.#count);
    this.#enqueue('move', { titleId, to: String(to) }, before);
    return true;
  }

  /** Takes a title off the list; the place it had, or null when it is not shown. */
  remove(titleId: string): number | null {
    const index = this.#indexOf(titleId);
    const item = this.items[index];
    if (!item) return null;
    const before = [...this.items];
    this.items = this.items.filter((entry) => entry.title.id !== titleId);
    this.announcement = `Removed ${nameOf(item)} from the list.`;
    this.#enqueue('removeItem', { titleId }, before);
    return index;
  }

  /** Picks a title up by its handle; false when another drag is on or the title is not shown. */
  startDrag(titleId: string, pointerId: number): boolean {
    if (this.dragging) return false;
    const from = this.#indexOf(titleId);
    if (from < 0) return false;
    this.dragging = { titleId, from, pointerId, before: [...this.items] };
    return true;
  }

  /** The title this pointer is dragging, if any. */
  draggedBy(pointerId: number): string | null {
    return this.dragging?.pointerId === pointerId ? this.dragging.titleId : null;
  }

  /** Shows the dragged title at `to` while the pointer moves. */
  dragTo(pointerId: number, to: number): void {
    const titleId = this.draggedBy(pointerId);
    if (titleId === null) return;
    const from = this.#indexOf(titleId);
    if (from >= 0 && to !== from) this.items = reordered(this.items, from, to);
  }

  /** Drops the dragged title where it is and sends the move, or (cancelled) puts it back. */
  endDrag(pointerId: number, cancelled = false): void {
    if (!this.dragging || pointerId !== this.dragging.pointerId) return;
    const { titleId, from, before } = this.dragging;
    this.dragging = null;
    const to = this.#indexOf(titleId);
    if (cancelled) {
      this.items = before;
      return;
    }
    const item = this.items[to];
    if (!item || to === from) return;
    this.announcement = movedAnnouncement(nameOf(item), to, this.#count);
    this.#enqueue('move', { titleId, to: String(to) }, before);
  }

  /** Escape during a drag: the title goes back where it was. */
  cancelDrag(): void {
    if (!this.dragging) return;
    this.items = this.dragging.before;
    this.dragging = null;
  }
}
