import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * The packaged extension under test: `$SWITCHYARD_E2E_VSIX` when the test command has packaged
 * it once for every e2e file, else packaged now from the built tree (`npm run build` first).
 */
export async function extensionVsix(): Promise<string> {
  const given = process.env.SWITCHYARD_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`SWITCHYARD_E2E_VSIX names a missing file: ${given}`);
    return given;
  }
  const out = join(mkdtempSync(join(tmpdir(), 'switchyard-vsix-')), 'switchyard.vsix');
  await packageExtension(out);
  return out;
}

/** Packages the extension into `out`: the project's `npm run package` when it has one, else vsce itself. */
export async function packageExtension(out: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const options = { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 };
  if (manifest.scripts?.package) {
    await run('npm', ['run', '--silent', 'package', '--', '--out', out], options);
  } else {
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], options);
  }
  if (!existsSync(out)) throw new Error(`packaging did not write ${out}`);
}
