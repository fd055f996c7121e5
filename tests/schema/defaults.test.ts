import { describe, expect, expectTypeOf, it } from 'vitest';
import { CreateAnnotationStudyRequestSchema } from '../../schema/api/annotation.ts';
import { CreateStudyRequestSchema } from '../../schema/api/studies.ts';
import { defaultsOf } from '../../schema/defaults.ts';
import { JudgeSettingsSchema } from '../../schema/judge.ts';

// The studio's forms start from defaultsOf(<the request schema>) instead of restating the
// defaults (the annotation instructions text had drifted from the server's). These check that
// the helper gives exactly what the server applies to a field left out, and nothing else.

const JUDGE = '00000000-0000-4000-8000-000000000001';

describe('defaultsOf', () => {
  it('gives every defaulted field what the server parses a request without it to, and only those', () => {
    const parsed = CreateAnnotationStudyRequestSchema.parse({ name: 'n', judgeVersionId: JUDGE });
    const defaults = defaultsOf(CreateAnnotationStudyRequestSchema);
    const { name, judgeVersionId, ...applied } = parsed;
    expect([name, judgeVersionId]).toEqual(['n', JUDGE]);
    expect(defaults).toEqual(applied);
    expect(defaults.instructions).toMatch(/rubric/);
    // Required and optional fields without a default are not there.
    for (const key of ['name', 'judgeVersionId', 'category', 'runId', 'externalScorer'])
      expect(defaults).not.toHaveProperty(key);

    const { name: _n, ...realism } = CreateStudyRequestSchema.parse({ name: 'n' });
    expect(defaultsOf(CreateStudyRequestSchema)).toEqual(realism);
  });

  it('keeps a default followed by a refinement or a description (judge dimensions, descriptions)', () => {
    const {
      model: _m,
      promptTemplate: _p,
      ...applied
    } = JudgeSettingsSchema.parse({
      model: 'm',
      promptTemplate: 'a prompt of twenty characters or more',
    });
    expect(defaultsOf(JudgeSettingsSchema)).toEqual(applied);
    expect(defaultsOf(JudgeSettingsSchema).dimensions).toEqual([]);
  });

  it('returns a fresh copy each call, so a form editing its state cannot change the next form', () => {
    const first = defaultsOf(CreateAnnotationStudyRequestSchema);
    first.strata.borderline = 0;
    first.dimensions.push('x');
    const second = defaultsOf(CreateAnnotationStudyRequestSchema);
    expect(second.strata.borderline).toBe(30);
    expect(second.dimensions).toEqual([]);
  });

  it('is typed by the schema: defaulted fields with their output types, no others (checked by tsc)', () => {
    const defaults = defaultsOf(CreateAnnotationStudyRequestSchema);
    expectTypeOf(defaults.instructions).toEqualTypeOf<string>();
    expectTypeOf(defaults.consensus).toEqualTypeOf<'majority' | 'rounded-mean'>();
    expectTypeOf(defaults.strata).toEqualTypeOf<{ clearPass: number; clearFail: number; borderline: number }>();
    expectTypeOf(defaults).not.toHaveProperty('name');
    expectTypeOf(defaults).not.toHaveProperty('category');
  });
});
