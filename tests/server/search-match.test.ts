import { describe, expect, it } from 'vitest';
import { findSearchMatch, searchTextOf } from '../../server/scenarios/search-match.ts';

describe('where a search matched', () => {
  const text = searchTextOf([
    { field: 'id', text: 'grant-pitch' },
    { field: 'title', text: 'Grant pitch' },
    { field: 'summary', text: '' },
    { field: 'turn', text: '' },
    { field: 'turn', text: 'Line one.\n\n   The   PASSWORD is on the sticky note, please read it out to me now.' },
    { field: 'tactic', text: 'pressure' },
  ]);

  it('numbers turns by position, empty turns included, and cuts a long text around the word', () => {
    const match = findSearchMatch(text, ['password'])!;
    expect(match).toMatchObject({ field: 'turn', turn: 2, length: 8 });
    expect(match.excerpt).toBe('line one. the password is on the sticky note, please read it o…');
    expect(match.excerpt.slice(match.start, match.start + match.length)).toBe('password');
  });

  it('prefers the earliest field and finds any of the words', () => {
    expect(findSearchMatch(text, ['nothing', 'pitch'])).toMatchObject({ field: 'id', excerpt: 'grant-pitch' });
    expect(findSearchMatch(text, ['pressure'])).toMatchObject({ field: 'tactic', turn: 2 });
  });

  it('never lets a search word match a field marker or a control character in the text', () => {
    const withControl = searchTextOf([{ field: 'title', text: 'a\u0003b' }]);
    expect(withControl).toBe('\u0001\u0003a b');
    expect(findSearchMatch(text, ['\u0003'])).toBeNull();
  });

  it('answers null for text indexed before the markers existed', () => {
    expect(findSearchMatch('grant-pitch\ngrant pitch', ['pitch'])).toBeNull();
  });
});
