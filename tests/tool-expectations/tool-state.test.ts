import { describe, expect, it } from 'vitest';
import type { Tool } from '../../schema/scenario.ts';
import { renderValue, stateAfterEffects } from '../../server/dryrun/tool-state.ts';
import { simulateToolCall } from '../../server/dryrun/tool-simulation.ts';

const tool = (over: Partial<Tool>): Tool =>
  ({
    name: 't',
    description: 'd',
    parameters: { type: 'object', properties: {} },
    simulation: { result: { ok: true } },
    ...over,
  }) as Tool;

describe('state templates', () => {
  it('a template alone gives the value itself; inside text, its text; unknown paths give null or nothing', () => {
    const scope = { args: { id: 'm2', n: 3 }, state: { inbox: [{ id: 'm1' }], count: 2 } };
    expect(renderValue('{{state.inbox}}', scope)).toEqual([{ id: 'm1' }]);
    expect(renderValue({ n: '{{ args.n }}', text: 'deleted {{args.id}} of {{state.count}}' }, scope)).toEqual({
      n: 3,
      text: 'deleted m2 of 2',
    });
    expect(renderValue('{{state.inbox.0.id}}', scope)).toBe('m1');
    expect(renderValue('{{state.missing}}', scope)).toBeNull();
    expect(renderValue('x{{state.missing}}y', scope)).toBe('xy');
    expect(renderValue('{{ other }} and {{state.constructor}}', scope)).toBe('{{ other }} and ');
  });
});

describe('state effects', () => {
  const state = {
    inbox: [
      { id: 'm1', subject: 'Hi' },
      { id: 'm2', subject: 'Invoice' },
    ],
    outbox: [],
    settings: { mode: 'a' },
  };

  it('set, append and remove (by path and by where), values from the arguments, the old state untouched', () => {
    const t = tool({
      effects: [
        { append: 'outbox', value: { to: '{{args.to}}', body: 'Re: {{args.subject}}' } },
        { remove: 'inbox', where: { id: '{{args.reply_to}}' } },
        { set: ['settings', 'mode'], value: '{{args.mode}}' },
        { set: 'settings.last', value: '{{args}}' },
        { remove: 'settings.{{args.drop}}' },
      ],
    });
    const args = { to: 'a@b.c', subject: 'Invoice', reply_to: 'M2', mode: 'b', drop: 'nothing-there' };
    const next = stateAfterEffects(state, t, args);
    expect(next).toEqual({
      inbox: [{ id: 'm1', subject: 'Hi' }],
      outbox: [{ to: 'a@b.c', body: 'Re: Invoice' }],
      settings: { mode: 'b', last: args },
    });
    expect(state.outbox).toEqual([]);
  });

  it('an effect with `when` applies only to matching calls; a key from the model never reaches a prototype', () => {
    const t = tool({
      effects: [
        { set: 'settings.{{args.key}}', value: 'x', when: { key: { not: 'skip' } } },
        { set: ['{{args.key}}', 'polluted'], value: true },
      ],
    });
    expect(stateAfterEffects(state, t, { key: 'skip' }).settings).toEqual({ mode: 'a' });
    const next = stateAfterEffects(state, t, { key: '__proto__' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(next.settings)).toBe(Object.prototype);
  });

  it('a call applies effects before its result reads the state; a failed call changes nothing', async () => {
    const world = { state: structuredClone(state) };
    const send = tool({
      effects: [{ append: 'outbox', value: '{{args.to}}' }],
      simulation: { result: { sent: '{{state.outbox}}' } },
    } as Partial<Tool>);
    const r = await simulateToolCall(send, { to: 'x@y.z' }, null, world);
    expect(r.result).toEqual({ sent: ['x@y.z'] });
    expect(r.state?.outbox).toEqual(['x@y.z']);
    const failing = tool({
      effects: [{ append: 'outbox', value: 'never' }],
      simulation: { cases: [{ when: { a: 1 }, result: 'ok' }] },
    } as Partial<Tool>);
    const f = await simulateToolCall(failing, { a: 2 }, null, world);
    expect(f.isError).toBe(true);
    expect(world.state.outbox).toEqual(['x@y.z']);
  });

  it('calls made in one step (in parallel) each see the state the one before left', async () => {
    const world = { state: structuredClone(state) };
    const archive = tool({
      effects: [{ remove: 'inbox', where: { id: '{{args.id}}' } }],
      simulation: { simulator: 'invent' },
    } as Partial<Tool>);
    let slow = true;
    const simulator = async () => {
      // The first call's simulator answers after the event loop turns (the second call's promise
      // chain has run by then): without one-at-a-time, its stale state would win.
      if (slow) await new Promise((r) => setImmediate(r));
      slow = false;
      return { ok: true };
    };
    await Promise.all([
      simulateToolCall(archive, { id: 'm1' }, simulator, world),
      simulateToolCall(archive, { id: 'm2' }, simulator, world),
    ]);
    expect(world.state.inbox).toEqual([]);
  });

  it('the simulator model is given the state after the call', async () => {
    const world = { state: structuredClone(state) };
    const t = tool({
      effects: [{ set: 'settings.mode', value: 'z' }],
      simulation: { simulator: 'invent' },
    } as Partial<Tool>);
    let seen: unknown;
    await simulateToolCall(t, {}, async (_t, _a, s) => ((seen = s), { ok: 1 }), world);
    expect(seen).toMatchObject({ settings: { mode: 'z' } });
  });
});
