// The house rules: which folder may import which. `npm test` runs them (`npm run deps`);
// a broken rule fails the suite with the rule's name and the offending import.
//
// Top level:  cli/ (the `switchyard` command table) → daemon/, bench/ → shared/
//             extension/ → shared/ only; test/ may import anything.
//
// Inside daemon/, each folder may import only the folders on the lines BELOW its own, never a
// folder on its own line or above (so no two folders import each other both ways). To let a
// new arrow through, move a folder down or split it; do not add an exception.
const DAEMON_LAYERS = [
  ['main.ts'], //                                    the daemon's own entry (dist/daemon.js)
  ['lifecycle'], //                                  wires the daemon: config, stores, router, doors, idle exit
  ['bench-runner'], //                               the editor's benchmark runs, plugged into the LSP door by lifecycle
  ['http', 'lsp'], //                                 the doors: protocols in, Gateway.handle out
  ['completion', 'config'], //                        editor completions above the gateway; config assembles section schemas
  ['gateway'], //                                     the orchestrator: route → budgets → select → cache → execute
  ['routing', 'cache', 'budgets', 'hardware'], //    the services the gateway calls, and their section schemas
  ['providers', 'team', 'observability'], //          provider adapters, team mode's Redis connection, metrics and logs
  ['core', 'version.ts'], //                          ground floor: pipeline types, provider contract, errors, token estimate
];

// bench/ in the same way: the entries on top, the simulated provider and the figures at the bottom.
const BENCH_LAYERS = [
  // entries: `switchyard bench`, the library, micro-benchmarks, child processes, editor and figure runs
  ['cli.ts', 'api.ts', 'micro', 'processes', 'editor', 'figures'],
  ['cli', 'crosscheck'], //                        sub-commands: compare, crosscheck
  ['orchestrator'], //                             one run: stack, generator process, scenario, repeats, baseline
  ['scenarios'], //                                one file per scenario, presets
  ['phases'], //                                   phase specs, the phase runner, process watching
  ['report', 'targets'], //                        the report; starting sim, daemon and proxy
  ['baseline', 'options', 'passthrough'], //       baseline diff and files; the run's options; the reference proxy
  ['generator'], //                                the load generator process
  ['metrics', 'sim', 'version.ts'], //             histograms and timelines; the simulated provider
];

/** `root/x/` for a folder, `root/x.ts` for a loose file. */
const pathOf = (root, name) => (name.endsWith('.ts') ? `^${root}/${name.replace('.', '\\.')}$` : `^${root}/${name}/`);

/** One rule per folder: it may import only the folders on the lines below its own. */
function layerRules(root, layers) {
  return layers.flatMap((layer, rank) =>
    layer.flatMap((name) => {
      const sameOrAbove = layers
        .slice(0, rank + 1)
        .flat()
        .filter((other) => other !== name);
      if (sameOrAbove.length === 0) return [];
      return {
        name: `${root}-layers: ${name}`,
        comment: `${root}/${name} may import only these of ${root}/: ${layers.slice(rank + 1).flat().join(', ') || '(none)'}.`,
        severity: 'error',
        from: { path: pathOf(root, name) },
        to: { path: sameOrAbove.map((other) => pathOf(root, other)).join('|') },
      };
    }),
  );
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module may import itself through others: a cycle means two things that should be one, or a misplaced piece.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'daemon-stays-below-cli-and-bench',
      comment: 'The daemon is what the editor runs: it never loads the load generator, the extension or the command table.',
      severity: 'error',
      from: { path: '^daemon/' },
      to: { path: '^(bench|extension|cli)/' },
    },
    {
      name: 'bench-stays-below-cli',
      comment: 'The benchmark may drive the daemon, but never the extension or the command table above it.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^(extension|cli)/' },
    },
    {
      name: 'shared-imports-only-shared',
      comment: 'shared/ holds wire types and browser-safe renderers used by every side: it imports nothing of ours outside shared/.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(daemon|bench|extension|cli|test|scripts)/' },
    },
    {
      name: 'extension-imports-only-shared',
      comment: 'The extension talks to the daemon over LSP/HTTP only; it shares types through shared/.',
      severity: 'error',
      from: { path: '^extension/' },
      to: { path: '^(daemon|bench|cli)/' },
    },
    {
      name: 'vscode-only-in-extension',
      comment: 'The `vscode` module exists only inside the editor: nothing outside extension/ (and the tests that run in VS Code) may load it.',
      severity: 'error',
      from: { pathNot: '^(extension|test/extension|test/vscode)/' },
      to: { path: '^vscode$|(^|/)node_modules/@types/vscode/' },
    },
    ...layerRules('daemon', DAEMON_LAYERS),
    ...layerRules('bench', BENCH_LAYERS),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.bench-results)/' },
    // Type-only imports count: a folder that needs another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
