/**
 * The embedded cache store: a keyv store adapter that keeps entries in memory and writes
 * them to one file (mode 0600) shortly after each change and on close. Pure JavaScript, so
 * it runs under VS Code's Electron runtime.
 *
 * The file is `switchyard-cache 1 <sha256 of body>\n<body>`, the body a JSON array of
 * [key, value] pairs. It is replaced atomically (write a temporary file, then rename), and a
 * file whose checksum does not match (truncated, edited, corrupted) is set aside next to the
 * original with a warning, and the store starts empty: a broken cache file is never a crash.
 */
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

const MAGIC = 'switchyard-cache 1';

export interface EmbeddedFileStoreOptions {
  /** The file; without one the store is memory only. */
  path?: string;
  /** How long after a change the file is rewritten; changes in between are written together. */
  flushDelayMs?: number;
  warn?: (message: string) => void;
}

export interface LoadReport {
  entries: number;
  /** Set when the file was unreadable and moved aside. */
  setAsidePath?: string;
}

export class EmbeddedFileStore extends EventEmitter {
  readonly opts: { dialect: 'switchyard-file'; path?: string };
  namespace?: string;
  private readonly map = new Map<string, string>();
  private readonly flushDelayMs: number;
  private readonly warn: (message: string) => void;
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  private dirty = false;
  private closed = false;
  /** How long the last write took: the next one waits at least 20 times that, so writing the file never takes more than ~5% of the time. */
  private lastWriteMs = 0;
  readonly loadReport: LoadReport;

  constructor(options: EmbeddedFileStoreOptions) {
    super();
    this.opts = { dialect: 'switchyard-file', path: options.path };
    this.flushDelayMs = options.flushDelayMs ?? 1000;
    this.warn = options.warn ?? ((message) => process.emitWarning(message));
    this.loadReport = this.load();
  }

  get size(): number {
    return this.map.size;
  }

  async get(key: string): Promise<string | undefined> {
    return this.map.get(key);
  }

  async getMany(keys: string[]): Promise<Array<string | undefined>> {
    return keys.map((key) => this.map.get(key));
  }

  async has(key: string): Promise<boolean> {
    return this.map.has(key);
  }

  // keyv puts the expiry inside the serialized value, so the ttl argument needs no handling here.
  async set(key: string, value: string): Promise<void> {
    this.map.delete(key);
    this.map.set(key, value);
    this.changed();
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.map.delete(key);
    if (existed) this.changed();
    return existed;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let any = false;
    for (const key of keys) any = this.map.delete(key) || any;
    if (any) this.changed();
    return any;
  }

  async clear(): Promise<void> {
    if (this.namespace === undefined) {
      this.map.clear();
    } else {
      const prefix = `${this.namespace}:`;
      for (const key of this.map.keys()) if (key.startsWith(prefix)) this.map.delete(key);
    }
    this.changed();
  }

  /** Raw [key, serialized value] pairs, oldest first: how the cache warms its memory layer after a restart. */
  rawEntries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.writing !== undefined) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = this.writeFile().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  async disconnect(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
  }

  private changed(): void {
    if (this.opts.path === undefined) return;
    this.dirty = true;
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.warn(`cache file ${this.opts.path} not written: ${(error as Error).message}`));
    }, Math.max(this.flushDelayMs, this.lastWriteMs * 20));
    this.timer.unref();
  }

  private async writeFile(): Promise<void> {
    const path = this.opts.path!;
    const started = performance.now();
    const body = JSON.stringify([...this.map]);
    const sum = createHash('sha256').update(body).digest('hex');
    this.lastWriteMs = performance.now() - started;
    const temporary = `${path}.${process.pid}.tmp`;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${MAGIC} ${sum}\n${body}`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  }

  private load(): LoadReport {
    const path = this.opts.path;
    if (path === undefined) return { entries: 0 };
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: 0 };
      throw error;
    }
    const mode = statSync(path).mode & 0o777;
    if (mode !== 0o600) chmodSync(path, 0o600);

    const pairs = parseCacheFile(text);
    if (pairs === undefined) {
      const setAsidePath = `${path}.corrupt-${Date.now()}`;
      renameSync(path, setAsidePath);
      this.warn(`cache file ${path} is corrupt or truncated; moved it to ${setAsidePath} and started an empty cache`);
      return { entries: 0, setAsidePath };
    }
    const now = Date.now();
    for (const [key, value] of pairs) {
      if (!isExpired(value, now)) this.map.set(key, value);
    }
    return { entries: this.map.size };
  }
}

function parseCacheFile(text: string): Array<[string, string]> | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const header = text.slice(0, newline).split(' ');
  if (header.length !== 3 || `${header[0]} ${header[1]}` !== MAGIC) return undefined;
  const body = text.slice(newline + 1);
  if (createHash('sha256').update(body).digest('hex') !== header[2]) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (!Array.isArray(parsed)) return undefined;
    const pairs: Array<[string, string]> = [];
    for (const pair of parsed) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') pairs.push([pair[0], pair[1]]);
    }
    return pairs;
  } catch {
    return undefined;
  }
}

function isExpired(serialized: string, now: number): boolean {
  try {
    const data = JSON.parse(serialized) as { expires?: number | null };
    return typeof data.expires === 'number' && data.expires <= now;
  } catch {
    return true;
  }
}
