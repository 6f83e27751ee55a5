// Bundles the extension (vscode external), the daemon entry and the command line with esbuild,
// and the report webview's browser script with the codicon font it uses.
// Type checking is separate: `npm run typecheck`.
import { cp, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Minified: the daemon's idle memory counts (VS Code users keep it running all day).
  // Linked source maps keep stack traces readable with --enable-source-maps.
  sourcemap: 'linked',
  // No keepNames: it wraps every function created at run time in a __name() call, which
  // costs microseconds per request where handlers make closures; source maps give the names back.
  minify: true,
  logLevel: 'warning',
  // Optional native speed-ups some dependencies try; the daemon must stay pure JavaScript.
  external: ['bufferutil', 'utf-8-validate'],
};

const entries = [
  { entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'] },
  { entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['daemon/main.ts'], outfile: 'dist/daemon.js' },
  // The benchmark's own processes: load generator, reference pass-through proxy, trivial server.
  { entryPoints: ['bench/processes/worker-main.ts'], outfile: 'dist/bench-worker.js' },
  // The micro-benchmarks, bundled and minified as the daemon is: they time the code as it ships
  // (under tsx, every imported binding is read through a getter, which the bundle does not do).
  // mitata's Bun-only branch names a module Node never loads.
  { entryPoints: ['bench/micro/run-micro.ts'], outfile: 'dist/bench-micro.js', external: [...common.external, 'bun:jsc'] },
];

// The webview runs in the editor's browser sandbox: its own bundle, no Node, nothing fetched.
const webview = {
  entryPoints: { 'webview-report': 'extension/webview/report-webview-main.ts', 'webview-recommendations': 'extension/webview/recommendations-webview-main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
};

async function copyCodicons() {
  await mkdir('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) await cp(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
}

await Promise.all([...entries.map((entry) => build({ ...common, ...entry, external: entry.external ?? common.external })), build(webview), copyCodicons()]);
