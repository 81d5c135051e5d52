// The student mode's fields in the explorer's link (state.ts): read back as written, bad values reported and
// replaced by their defaults, and left out of the link while they are the defaults.
import { describe, expect, it } from 'vitest';
import { decodeState, defaults, encodeState } from '../packages/explorer/src/state.js';

describe('the student mode in the link', () => {
  it('reads the exercise, what is hidden and whether the answers show', () => {
    const { state, problems } = decodeState(
      '#tab=student&ex=12&exn=2,2,2,1&exact=square;identity&expass=forward&hide=N_1,S_1&answers=1',
    );
    expect(problems).toEqual([]);
    expect(state).toMatchObject({
      tab: 'student',
      exSeed: 12,
      exWidths: '2,2,2,1',
      exAct: 'square;identity',
      exPass: 'forward',
      exHide: 'N_1,S_1',
      exReveal: true,
    });
  });

  it('reports values it cannot read and keeps the defaults', () => {
    const { state, problems } = decodeState('#tab=student&ex=-1&expass=sideways&answers=maybe');
    expect(problems).toEqual([
      { key: 'ex', value: '-1' },
      { key: 'expass', value: 'sideways' },
      { key: 'answers', value: 'maybe' },
    ]);
    expect([state.exSeed, state.exPass, state.exReveal]).toEqual([9, 'backward', false]);
  });

  it('writes only what differs from the defaults', () => {
    expect(encodeState({ ...defaults, custom: [], tab: 'student' })).toBe('tab=student');
    expect(encodeState({ ...defaults, custom: [], tab: 'student', exReveal: true, exHide: 'D_1,gradW_2' })).toBe(
      'tab=student&hide=D_1,gradW_2&answers=1',
    );
  });
});
