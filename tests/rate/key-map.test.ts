import { describe, expect, it } from 'vitest';
import { FLAG_CHOICES } from '../../client/src/rate/flags.ts';
import { RATER_KEYS } from '../../client/src/rate/keyMap.ts';

describe('the rater key map', () => {
  it('gives every letter one meaning across the rater screens', () => {
    const letters = Object.values(RATER_KEYS);
    expect(new Set(letters).size).toBe(letters.length);
    for (const l of letters) expect(l).toMatch(/^[a-z]$/);
  });

  it('binds the flag picker letters from the map', () => {
    const mapped = new Set<string>(Object.values(RATER_KEYS));
    expect(FLAG_CHOICES.every((c) => mapped.has(c.key))).toBe(true);
    expect(new Set(FLAG_CHOICES.map((c) => c.key)).size).toBe(FLAG_CHOICES.length);
  });
});
