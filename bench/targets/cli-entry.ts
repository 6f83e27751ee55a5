/** Finds `dist/cli.js`, which starts the simulator and the daemon as their own processes. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function resolveCliEntry(): string {
  const candidates = [
    process.env.SWITCHYARD_CLI,
    // Bundled: this code is inside dist/cli.js itself.
    join(__dirname, 'cli.js'),
    // Source under tsx: bench/targets/ → dist/cli.js.
    join(__dirname, '..', '..', 'dist', 'cli.js'),
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`dist/cli.js not found (looked at ${candidates.join(', ')}); run \`npm run build\` first`);
  return found;
}
