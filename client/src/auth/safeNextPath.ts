// A stand-in origin to resolve against: only a path that stays on it is a path of ours.
const HERE = 'https://crucible.invalid';

/**
 * The `?next=` of the sign-in page as a path on this site, or null to use the default. Only a
 * relative path is followed: not an absolute URL, a scheme (`javascript:`), a protocol-relative
 * `//host`, nor anything a browser would turn into one: a backslash (`/\host` is `//host` to a
 * browser) or a control character (tabs and newlines are dropped, so `/<tab>/host` is `//host`).
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//')) return null;
  if ([...next].some((ch) => ch === '\\' || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return null;
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return null;
  }
  if (url.origin !== HERE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
