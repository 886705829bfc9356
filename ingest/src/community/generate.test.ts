import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadDemoTitles } from './catalog.ts';
import { generateActivity } from './generate.ts';

const ANCHOR = new Date('2026-06-15T18:30:00Z');

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('the demo community generator', () => {
  // Pinned so that refactoring the generator cannot silently change the community a seed writes
  // (a new digest means other people, lists and events). A deliberate change updates the pin.
  it('given the demo catalog, a fixed anchor and the default seed, when generated, then the activity is exactly the pinned one', async () => {
    const activity = generateActivity(await loadDemoTitles(), { anchor: ANCHOR });
    expect(activity.members).toHaveLength(221);
    expect(digestOf(activity)).toBe('46e293c28f0050bdb273243fd22d3f108e766705c5c22f0cb341c34b458b620d');
  });

  it('given another seed and size, when generated, then the activity is exactly the pinned one', async () => {
    const activity = generateActivity(await loadDemoTitles(), { anchor: ANCHOR, people: 40, seed: 'another-community' });
    expect(activity.members).toHaveLength(41);
    expect(digestOf(activity)).toBe('845613622535e2462a6e6ee2b4d01b31a224732680a401f2587b5a12643283e3');
  });
});
