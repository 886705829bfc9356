import { describe, expect, it } from 'vitest';
import { dropIndex, edgeScroll, movedAnnouncement, reordered, stepTarget, type RowBox } from './reorder.ts';

describe('reordered', () => {
  it('given a title moved down, when reordered, then the titles between move up one place', () => {
    expect(reordered(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('given a title moved up, when reordered, then the titles between move down one place', () => {
    expect(reordered(['a', 'b', 'c', 'd'], 3, 1)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('given a title moved past the shown titles, when reordered, then it leaves the view (it is further down the list)', () => {
    expect(reordered(['a', 'b', 'c'], 2, 3)).toEqual(['a', 'b']);
  });

  it('given a list, when reordered, then the list itself is left as it was', () => {
    const list = ['a', 'b'];
    reordered(list, 0, 1);
    expect(list).toEqual(['a', 'b']);
  });
});

describe('stepTarget', () => {
  it('given a title in the middle, when stepped up or down, then it lands one place away', () => {
    expect(stepTarget(1, 'up', 3)).toBe(0);
    expect(stepTarget(1, 'down', 3)).toBe(2);
  });

  it('given the first title, when stepped up, then it cannot move', () => {
    expect(stepTarget(0, 'up', 3)).toBeNull();
  });

  it('given the last title of the whole list, when stepped down, then it cannot move', () => {
    expect(stepTarget(2, 'down', 3)).toBeNull();
  });

  it('given the last shown title of a longer list, when stepped down, then it moves into the titles not shown', () => {
    expect(stepTarget(2, 'down', 10)).toBe(3);
  });
});

describe('dropIndex', () => {
  const rows: RowBox[] = [
    { titleId: 'a', top: 0, height: 100 },
    { titleId: 'b', top: 100, height: 100 },
    { titleId: 'c', top: 200, height: 100 },
  ];

  it('given the pointer above every middle, when dropped, then the title goes first', () => {
    expect(dropIndex(rows, 'c', 10)).toBe(0);
  });

  it('given the pointer past the middle of the row below, when dropped, then the title goes after it', () => {
    expect(dropIndex(rows, 'a', 160)).toBe(1);
  });

  it('given the pointer below every row, when dropped, then the title goes last', () => {
    expect(dropIndex(rows, 'a', 400)).toBe(2);
  });

  it('given the pointer over the dragged row itself, when dropped, then that row does not count', () => {
    expect(dropIndex(rows, 'b', 170)).toBe(1);
  });
});

describe('edgeScroll', () => {
  it('given the pointer near the top of the window, when dragging, then the page scrolls up', () => {
    expect(edgeScroll(20, 800)).toBe(-12);
  });

  it('given the pointer near the bottom of the window, when dragging, then the page scrolls down', () => {
    expect(edgeScroll(780, 800)).toBe(12);
  });

  it('given the pointer in the middle of the window, when dragging, then the page stays', () => {
    expect(edgeScroll(400, 800)).toBe(0);
  });
});

describe('movedAnnouncement', () => {
  it('given a move, when announced, then it names the title and its new place counting from one', () => {
    expect(movedAnnouncement('Heat', 0, 12)).toBe('Moved Heat to position 1 of 12.');
  });
});
