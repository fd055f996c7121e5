import { describe, expect, it } from 'vitest';
import { afterValueArrives, type SearchBoxText } from '../../client/src/studio/runs/searchEcho.ts';

// The deep dive's transcript search (client/src/studio/runs/DeepDive.tsx) debounces typing and
// follows its value from the page's state. Under load the echo of a sent query can arrive after the
// next query was typed; CI once saw "[refused]j" searched after "[complied]" had been typed
// (tests/e2e/runs.test.ts).

describe('the transcript search box when its value arrives', () => {
  it('keeps what was typed since, when the value is the echo of its own query', () => {
    // Sent "[refused]j"; "[complied]" typed before the echo came back.
    const box: SearchBoxText = { typed: '[complied]', sent: '[refused]j' };
    expect(afterValueArrives(box, '[refused]j')).toEqual({ typed: '[complied]', sent: '[refused]j' });
  });

  it('takes a value from outside (a link, the back button), replacing the typing', () => {
    const box: SearchBoxText = { typed: 'half typ', sent: 'refused' };
    expect(afterValueArrives(box, 'complied')).toEqual({ typed: 'complied', sent: 'complied' });
  });

  it('takes a cleared value from outside', () => {
    expect(afterValueArrives({ typed: 'words', sent: 'words' }, '')).toEqual({ typed: '', sent: '' });
  });
});
