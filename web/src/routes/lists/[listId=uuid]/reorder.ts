/*
 * Where a list's titles go when the owner moves one: a step up or down (buttons, so by keyboard
 * too) or a drag by its handle. Pure: the component measures the rows and moves the focus.
 */

/** Puts the title at `to`; beyond the shown titles it leaves the view (it is further down the list). */
export function reordered<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [moved] = next.splice(from, 1);
  if (moved && to < list.length) next.splice(to, 0, moved);
  return next;
}

/** Where one step from `from` lands among `count` titles, or null when it would leave the list. */
export function stepTarget(from: number, direction: 'up' | 'down', count: number): number | null {
  const to = direction === 'up' ? from - 1 : from + 1;
  return to < 0 || to >= count ? null : to;
}

/** A row of the list as the page lays it out. */
export type RowBox = { titleId: string; top: number; height: number };

/** The dragged title's new place: after every other row whose middle is above the pointer. */
export function dropIndex(rows: readonly RowBox[], dragged: string, pointerY: number): number {
  let to = 0;
  for (const row of rows) {
    if (row.titleId === dragged) continue;
    if (pointerY > row.top + row.height / 2) to++;
  }
  return to;
}

/** Pixels to scroll while dragging near the window's edges, so a long list can be crossed in one drag. */
export function edgeScroll(pointerY: number, viewportHeight: number): number {
  const edge = 64;
  if (pointerY < edge) return -12;
  if (pointerY > viewportHeight - edge) return 12;
  return 0;
}

export const movedAnnouncement = (name: string, to: number, count: number) => `Moved ${name} to position ${to + 1} of ${count}.`;
