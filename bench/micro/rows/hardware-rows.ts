/**
 * Hardware: detection (a one-off at startup; the service caches it), the memory pools a
 * report comes down to (what every estimate starts from), and the plan for one model of a
 * given size: quantization, context, where it fits and how fast it decodes.
 */
import { detectHardware } from '../../../daemon/hardware/detect-hardware';
import { systemProbes } from '../../../daemon/hardware/hardware-probes';
import { loadCatalog } from '../../../daemon/hardware/catalog/load-catalog';
import { memoryPools } from '../../../daemon/hardware/memory-pools';
import { planModel } from '../../../daemon/hardware/plan-model';
import { HOT_PATH_BUDGET_NS, type MicroGroup } from '../micro-row';

export const hardwareRows: MicroGroup = {
  title: 'Hardware',
  rows: [
    { name: 'hardware/detect', input: 'this machine, uncached probes', hooshNs: 5_000_000_000, budgetNs: null, oneOff: true, clock: 'wall' },
    { name: 'hardware/summary', input: 'memory pools of a detected report', hooshNs: 860, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'hardware/recommend-1b', input: 'plan Llama 3.2 1B on this machine', hooshNs: 46, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'hardware/recommend-7b', input: 'plan Qwen2.5-Coder 7B on this machine', hooshNs: 50, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'hardware/recommend-largest', input: 'plan the catalog\'s largest (Qwen2.5-Coder 32B; the catalog has no 70B)', hooshNs: 55, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    const signal = new AbortController().signal;
    const report = await detectHardware(systemProbes(), {}, signal);
    const pools = memoryPools(report);
    const catalog = loadCatalog();
    const byId = (id: string) => {
      const model = catalog.find((m) => m.id === id);
      if (model === undefined) throw new Error(`the catalog has no ${id}`);
      return model;
    };
    const largest = catalog.reduce((a, b) => (b.parametersB > a.parametersB ? b : a));
    const small = byId('llama3.2-1b');
    const seven = byId('qwen2.5-coder-7b');
    return {
      bodies: {
        'hardware/detect': () => detectHardware(systemProbes(), {}, signal),
        'hardware/summary': () => memoryPools(report),
        'hardware/recommend-1b': () => planModel(small, pools, 'chat'),
        'hardware/recommend-7b': () => planModel(seven, pools, 'chat'),
        'hardware/recommend-largest': () => planModel(largest, pools, 'chat'),
      },
      close: () => {},
    };
  },
};
