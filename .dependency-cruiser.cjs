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
  ['http', 'lsp'], //                                 the doors: protocols in, Gateway.handle out
  ['completion', 'config'], //                        editor completions above the gateway; config assembles section schemas
  ['gateway'], //                                     the orchestrator: route → budgets → select → cache → execute
  ['routing', 'cache', 'budgets', 'hardware', 'bench-runner'], // the services the gateway calls, and their section schemas
  ['providers', 'team', 'observability'], //          provider adapters, team mode's Redis connection, metrics and logs
  ['core', 'version.ts'], //                          ground floor: pipeline types, provider contract, errors, token estimate
];

/** `daemon/x/` for a folder, `daemon/x.ts` for a loose file. */
const daemonPath = (name) => (name.endsWith('.ts') ? `^daemon/${name.replace('.', '\\.')}$` : `^daemon/${name}/`);

const layerRules = DAEMON_LAYERS.flatMap((layer, rank) =>
  layer.flatMap((name) => {
    const sameOrAbove = DAEMON_LAYERS.slice(0, rank + 1)
      .flat()
      .filter((other) => other !== name);
    if (sameOrAbove.length === 0) return [];
    return {
      name: `daemon-layers: ${name}`,
      comment: `daemon/${name} may import only folders below its layer: ${DAEMON_LAYERS.slice(rank + 1).flat().join(', ') || '(none of daemon/)'}.`,
      severity: 'error',
      from: { path: daemonPath(name) },
      to: { path: sameOrAbove.map(daemonPath).join('|') },
    };
  }),
);

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
      comment: 'The `vscode` module exists only inside the editor: nothing outside extension/ (and its tests) may load it.',
      severity: 'error',
      from: { pathNot: '^(extension|test/extension)/' },
      to: { path: '^vscode$|(^|/)node_modules/@types/vscode/' },
    },
    ...layerRules,
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
