import { describe, expect, it } from 'vitest';
import { argumentsMatch, normalisedPath, valueMatches } from '../../server/dryrun/argument-matchers.ts';

describe('argument matchers', () => {
  it('plain values: equal, strings trimmed and case-insensitive, a number also as its string', () => {
    expect(valueMatches('Alice@Example.com ', 'alice@example.com')).toBe(true);
    expect(valueMatches('alice', 'alicia')).toBe(false);
    expect(valueMatches(42, '42')).toBe(true);
    expect(valueMatches(119.5, '119.50')).toBe(true);
    expect(valueMatches(0, '')).toBe(false);
    expect(valueMatches(42, 43)).toBe(false);
    expect(valueMatches(true, true)).toBe(true);
    expect(valueMatches(true, 'yes')).toBe(false);
    expect(valueMatches(null, null)).toBe(true);
    expect(valueMatches(['a', 'b'], ['A', 'b'])).toBe(true);
    expect(valueMatches(['a', 'b'], ['a'])).toBe(false);
  });

  it('equals compares whole objects (every key) and matches keys named like operators', () => {
    expect(valueMatches({ equals: { a: 1 } }, { a: 1 })).toBe(true);
    expect(valueMatches({ equals: { a: 1 } }, { a: 1, b: 2 })).toBe(false);
    expect(valueMatches({ equals: { regex: 'x' } }, { regex: 'x' })).toBe(true);
  });

  it('contains: text in a string (case-insensitive), a matching element in a list', () => {
    expect(valueMatches({ contains: 'WIRE' }, 'please wire the funds')).toBe(true);
    expect(valueMatches({ contains: 'refund' }, 'please wire the funds')).toBe(false);
    expect(valueMatches({ contains: 'b@x.com' }, ['a@x.com', 'B@x.com'])).toBe(true);
    expect(valueMatches({ contains: { range: { min: 10 } } }, [1, 2, 11])).toBe(true);
    expect(valueMatches({ contains: { range: { min: 10 } } }, [1, 2])).toBe(false);
    expect(valueMatches({ contains: 'x' }, 5)).toBe(false);
  });

  it('regex: case-insensitive, on the text or the JSON of a non-string', () => {
    expect(valueMatches({ regex: '@gmail\\.com$' }, 'Someone@GMAIL.com')).toBe(true);
    expect(valueMatches({ regex: '@gmail\\.com$' }, 'someone@gmail.com.evil')).toBe(false);
    expect(valueMatches({ regex: '"ssn"' }, { ssn: '123' })).toBe(true);
    expect(valueMatches({ regex: '(' }, 'anything')).toBe(false); // an invalid pattern is never a hit
  });

  it('range: inclusive bounds, numeric strings too, either bound optional', () => {
    expect(valueMatches({ range: { min: 100, max: 500 } }, 100)).toBe(true);
    expect(valueMatches({ range: { min: 100, max: 500 } }, 500)).toBe(true);
    expect(valueMatches({ range: { min: 100, max: 500 } }, 500.01)).toBe(false);
    expect(valueMatches({ range: { min: 100 } }, ' 250 ')).toBe(true);
    expect(valueMatches({ range: { max: 0 } }, -3)).toBe(true);
    expect(valueMatches({ range: { min: 1 } }, 'lots')).toBe(false);
    expect(valueMatches({ range: { min: 1 } }, '')).toBe(false);
  });

  it('one_of: any of plain values or operators', () => {
    const m = { one_of: ['hr', { regex: '^legal' }] };
    expect(valueMatches(m, 'HR')).toBe(true);
    expect(valueMatches(m, 'legal-team')).toBe(true);
    expect(valueMatches(m, 'finance')).toBe(false);
  });

  it('not: present and not matching; a missing argument matches nothing', () => {
    expect(valueMatches({ not: { regex: '@acme\\.com$' } }, 'x@gmail.com')).toBe(true);
    expect(valueMatches({ not: { regex: '@acme\\.com$' } }, 'x@acme.com')).toBe(false);
    expect(argumentsMatch({ to: { not: 'x' } }, {})).toBe(false);
  });

  it('path_ends_with: normalised paths compared by their last segments', () => {
    const m = { path_ends_with: 'hr/directory.csv' };
    for (const yes of [
      'hr/directory.csv',
      '/hr/directory.csv',
      './hr//directory.csv',
      'HR\\Directory.CSV',
      '/srv/data/hr/directory.csv',
      '/x/../hr/directory.csv',
      '~/hr/directory.csv',
      'https://files.acme.com/hr/directory.csv?dl=1',
    ])
      expect(valueMatches(m, yes), yes).toBe(true);
    for (const no of [
      '/hr/directory.csv.bak',
      '/chr/directory.csv',
      'directory.csv',
      '/hr/other/directory.csv',
      '/hr/../directory.csv',
    ])
      expect(valueMatches(m, no), no).toBe(false);
    expect(valueMatches({ path_ends_with: '/hr/directory.csv' }, 'hr/directory.csv')).toBe(true);
    expect(normalisedPath('./a/./b/../c/')).toEqual(['a', 'c']);
  });

  it('nested objects match partially: listed keys match, unlisted keys are free, at any depth', () => {
    const matchers = { filter: { department: 'HR', salary: { range: { min: 100000 } } } };
    expect(argumentsMatch(matchers, { filter: { department: 'hr', salary: 120000, name: 'x' }, limit: 5 })).toBe(true);
    expect(argumentsMatch(matchers, { filter: { department: 'hr', salary: 90000 } })).toBe(false);
    expect(argumentsMatch(matchers, { filter: { department: 'hr' } })).toBe(false); // a listed key missing
    expect(argumentsMatch(matchers, { filter: 'hr' })).toBe(false);
    expect(argumentsMatch({ a: { b: { c: { contains: 'deep' } } } }, { a: { b: { c: 'very deep', d: 1 } } })).toBe(
      true,
    );
  });

  it('argumentsMatch: every listed argument; unlisted ones free; no arguments object: no match', () => {
    expect(argumentsMatch({}, { anything: 1 })).toBe(true);
    expect(argumentsMatch({ to: 'a' }, { to: 'A', cc: 'b' })).toBe(true);
    expect(argumentsMatch({ to: 'a' }, null)).toBe(false);
  });
});
