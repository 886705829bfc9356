import { describe, expect, it } from 'vitest';
import { safeRedirectTo } from './redirect.ts';

describe('safeRedirectTo', () => {
  it('follows paths on this site', () => {
    expect(safeRedirectTo('/titles/movie:603?tab=cast#top')).toBe('/titles/movie:603?tab=cast#top');
    expect(safeRedirectTo('/me/lists')).toBe('/me/lists');
  });

  it('refuses other sites and odd forms of them', () => {
    for (const value of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
      'me/lists',
      '',
      null,
      undefined,
    ]) {
      expect(safeRedirectTo(value)).toBe('/');
    }
  });

  it('does not loop back to the sign-in pages', () => {
    expect(safeRedirectTo('/signin?redirectTo=/x')).toBe('/');
    expect(safeRedirectTo('/signout')).toBe('/');
  });
});
