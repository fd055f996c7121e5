import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../client/src/auth/safeNextPath.ts';

/** What the sign-in page reads: `?next=` as URLSearchParams decodes it from the address bar. */
const nextOf = (query: string) => new URLSearchParams(query).get('next');

describe('the sign-in page’s ?next=', () => {
  it.each([
    ['next=/%5Cevil.example/phish', 'a backslash, which browsers read as a slash'],
    ['next=/%09/evil.example/phish', 'a tab, which browsers drop'],
    ['next=/%0A/evil.example', 'a newline'],
    ['next=%2F%2Fevil.example', 'a protocol-relative address'],
    ['next=//evil.example/x', 'a protocol-relative address'],
    ['next=/\\evil.example', 'a raw backslash'],
    ['next=https://evil.example/', 'an absolute URL'],
    ['next=javascript:alert(1)', 'a javascript: URL'],
    ['next=%20/evil', 'a leading space'],
    ['next=', 'nothing'],
    ['', 'no next at all'],
  ])('falls back to the default for %s (%s)', (query) => {
    expect(safeNextPath(nextOf(query))).toBeNull();
  });

  it.each([
    ['next=%2Fstudio%3Fbehavior%3Dsycophancy', '/studio?behavior=sycophancy'],
    ['next=/rate/st-abc123', '/rate/st-abc123'],
    ['next=/studio/scenarios/x%23y', '/studio/scenarios/x#y'],
    ['next=/studio/../rate', '/rate'],
  ])('follows the path on this site in %s', (query, path) => {
    expect(safeNextPath(nextOf(query))).toBe(path);
  });
});
