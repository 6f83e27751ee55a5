import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the bearer token of the daemon of `stateDir` is kept. */
export function tokenPath(stateDir: string): string {
  return join(stateDir, 'token');
}

/**
 * The bearer token lives in its own 0600 file and survives restarts, so a client configured
 * once (an OpenAI or Ollama client with a fixed key) keeps working. Delete the file to rotate it.
 */
export function loadOrCreateToken(stateDir: string): string {
  const path = tokenPath(stateDir);
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 32) return token;
  } catch {
    // No token yet.
  }
  const token = `sy-${randomBytes(32).toString('base64url')}`;
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}
