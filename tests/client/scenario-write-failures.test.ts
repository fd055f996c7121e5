import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../schema/diagnostic.ts';
import { ApiError } from '../../client/src/api/client.ts';
import { mergeProblems } from '../../client/src/studio/scenario/mergeProblems.ts';
import { writeFailure } from '../../client/src/studio/scenario/writeFailure.ts';

// What the scenario page shows when a write fails, and how a refused save's problems join the
// live check's in the problems panel.

const problem = (line: number, message: string, source: Diagnostic['source'] = 'schema'): Diagnostic => ({
  severity: 'error',
  source,
  message,
  path: [],
  line,
  column: 1,
  endLine: line,
  endColumn: 2,
});

describe('writeFailure', () => {
  it('locates a refused save’s issues as problems, a missing line or column as the file’s start', () => {
    const refused = new ApiError(
      400,
      {
        code: 'validation_failed',
        message: 'the scenario is not valid',
        issues: [
          { message: 'Required', path: ['turns', 0, 'content'], line: 7, column: 5 },
          { message: 'title is too long' },
        ],
      },
      null,
    );
    expect(writeFailure(refused, 'Not saved')).toEqual({
      message: 'Not saved: the scenario is not valid',
      issues: [
        {
          severity: 'error',
          source: 'schema',
          message: 'Required',
          path: ['turns', 0, 'content'],
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 6,
        },
        {
          severity: 'error',
          source: 'schema',
          message: 'title is too long',
          path: [],
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 2,
        },
      ],
    });
  });

  it('says what failed for a network error or a thrown value, with no problems to locate', () => {
    expect(writeFailure(new TypeError('Failed to fetch'), 'Could not reload')).toEqual({
      message: 'Could not reload: Failed to fetch',
      issues: [],
    });
    expect(writeFailure('offline', 'Not saved')).toEqual({ message: 'Not saved: offline', issues: [] });
  });
});

describe('mergeProblems', () => {
  it('adds only the refused save’s problems the live check does not already show on that line', () => {
    const live = [problem(3, 'Required'), problem(9, 'unknown behaviour', 'corpus')];
    const fromSave = [problem(3, 'Required'), problem(4, 'Required'), problem(9, 'too long')];
    expect(mergeProblems(live, fromSave)).toEqual([...live, problem(4, 'Required'), problem(9, 'too long')]);
  });

  it('is the live check alone when no save was refused', () => {
    const live = [problem(2, 'Expected a mapping', 'yaml')];
    expect(mergeProblems(live, [])).toEqual(live);
  });
});
