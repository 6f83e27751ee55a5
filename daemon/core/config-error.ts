/** A configuration problem, reported before the daemon serves anything. Names the key, the value and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly sourcePath?: string,
  ) {
    super(`${sourcePath ? `invalid config ${sourcePath}` : 'invalid config'}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Turns a JSON pointer (`/providers/0/kind`) into the dotted key a user sees in TOML (`providers[0].kind`). */
export function pointerToKey(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let key = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) key += `[${part}]`;
    else key += key === '' ? part : `.${part}`;
  }
  return key === '' ? '(top level)' : key;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
