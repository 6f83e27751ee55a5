// Bundles the extension (vscode external), the daemon entry and the command line with esbuild.
// Type checking is separate: `npm run typecheck`.
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
];

await Promise.all(entries.map((entry) => build({ ...common, ...entry, external: entry.external ?? common.external })));
