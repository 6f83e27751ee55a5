// `npm run test:vscode`: runs test/extension/vscode/suite in a real VS Code downloaded by
// @vscode/test-electron, for machines that can download it (this project's CI has no internet
// and runs the code-server suite in test/e2e instead). The extension is loaded from this tree
// (build it first), with a fresh user-data dir and an isolated daemon state dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'switchyard-vscode-'));
const userDataDir = join(scratch, 'user-data');
const workspace = join(scratch, 'workspace');
const stateDir = join(scratch, 'state');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
mkdirSync(workspace, { recursive: true });
writeFileSync(join(workspace, 'main.py'), 'def add(a, b):\n    return a + b\n');
writeFileSync(
  join(userDataDir, 'User', 'settings.json'),
  JSON.stringify({ 'security.workspace.trust.enabled': false, 'switchyard.daemon.stateDir': stateDir, 'switchyard.daemon.idleTimeoutMinutes': 1 }, null, 2),
);

let code = 0;
try {
  await runTests({
    version: process.env.SWITCHYARD_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'extension', 'vscode', 'suite', 'index.cjs'),
    extensionTestsEnv: { SWITCHYARD_TEST_STATE_DIR: stateDir },
    launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`test:vscode failed: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
