import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { postJson } from './sim-helpers';

describe('simulator: prompt reuse', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ models: ['sim-coder', 'other-coder'] });
  });
  after(() => sim.close());

  const infill = (model: string, prefix: string, suffix = '\n}\n') =>
    postJson(`${sim.url}/infill`, { model, input_extra: [{ filename: 'a.ts', text: 'export const a = 1;\n' }], input_prefix: prefix, input_suffix: suffix, n_predict: 4 });

  it('records how much of each prompt repeats the start of the same model’s previous one, and sums it in the stats', async () => {
    await infill('sim-coder', 'function f() {\n  return ');
    await infill('sim-coder', 'function f() {\n  return x');
    await infill('other-coder', 'function f() {\n  return x');
    await infill('sim-coder', 'function g() {\n');
    const [first, second, otherModel, changed] = sim.requests;
    assert.equal(first!.sharedPrefixChars, 0, 'nothing before the first prompt');
    // The extra context and the whole earlier prefix are shared; the typed character and the suffix are read again.
    const sharedExpected = first!.promptChars! - '\u0001\n}\n\u0001'.length;
    assert.equal(second!.sharedPrefixChars, sharedExpected);
    assert.equal(second!.promptChars, first!.promptChars! + 1);
    assert.equal(otherModel!.sharedPrefixChars, 0, 'each model has a cache of its own');
    assert.ok(changed!.sharedPrefixChars! < 40, 'a different function shares only the context and `function `');
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    const records = sim.requests;
    assert.equal(stats.promptChars, records.reduce((sum, r) => sum + r.promptChars!, 0));
    assert.equal(stats.sharedPrefixChars, records.reduce((sum, r) => sum + r.sharedPrefixChars!, 0));
    sim.reset();
    assert.deepEqual([sim.stats().promptChars, sim.stats().sharedPrefixChars], [0, 0]);
  });
});
