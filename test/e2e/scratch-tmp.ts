import { EditorSession } from './harness/editor-session';
import { startSimulator } from '../../bench/sim/index';
(async () => {
  const sim = await startSimulator({ latencyMs: 5, ttftMs: 5, outputTokens: 6, models: ['qwen2.5-coder:1.5b'] });
  const s = await EditorSession.start({ name: 'scratch', files: { 'cart.js': '// Totals for the checkout page.\nfunction add(a, b) {\n  return a + b;\n}\n\n' },
    daemonConfig: `[[providers]]\nname = "sim-a"\nkind = "ollama"\nbase_url = "${sim.url}"\n` });
  try {
    const w = await s.openWindow();
    await w.waitForStatusBarItem('switchyard.status', (i) => i.text.includes('sim-a'));
    await w.openFile('cart.js');
    await w.caretToEnd();
    await w.page.keyboard.type('const total = ', { delay: 30 });
    await w.page.waitForTimeout(3000);
    console.log(await w.ghostText());
    for (const r of sim.requests) console.log(r.route, JSON.stringify(r.body).slice(0, 400), r.status, r.abortedAt);
    console.log(s.diagnostics().slice(-5000));
  } finally { await s.close(); await sim.close(); }
})();
