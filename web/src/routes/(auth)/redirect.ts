/**
 * Where to go after signing in or up. `redirectTo` comes from the address bar, so anyone can
 * craft it: only a path on this site is followed (one leading `/`, no `//host` or `/\host`,
 * which browsers read as another site), never back to the sign-in pages themselves.
 */
const AUTH_PAGES = ['/signin', '/signup', '/signout'];

export function safeRedirectTo(value: FormDataEntryValue | string | null | undefined): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';
  // Backslashes and control characters are normalised into other hosts by some browsers.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  const base = 'http://reeltime.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  if (AUTH_PAGES.some((page) => url.pathname === page || url.pathname.startsWith(`${page}/`))) return '/';
  return url.pathname + url.search + url.hash;
}
