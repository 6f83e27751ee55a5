import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultStateDir } from '../daemon/lifecycle/state-file';
import { tokenPath } from '../daemon/lifecycle/token-file';
import { VERSION } from '../daemon/version';
import { runDaemonCommand } from '../daemon/lifecycle/daemon-command';
import { UsageError } from '../daemon/lifecycle/daemon-usage';
import { USAGE } from './usage';

type Command = (argv: string[]) => Promise<number | void>;

/** The command table: each command is loaded only when it runs. */
const COMMANDS: Record<string, Command> = {
  daemon: runDaemonCommand,
  sim: async (argv) => (await import('../bench/sim/cli')).runSimCommand(argv),
  bench: async (argv) => (await import('../bench/cli')).runBenchCommand(argv),
  hw: async (argv) => (await import('./hw-command')).runHwCommand(argv),
  token: async (argv) => {
    const { values } = parseArgs({ args: argv, options: { 'state-dir': { type: 'string' } } });
    const path = tokenPath(values['state-dir'] ?? defaultStateDir());
    if (!existsSync(path)) throw new UsageError(`no token at ${path} yet: start the daemon once ("switchyard daemon") and it creates one`);
    process.stdout.write(readFileSync(path, 'utf8'));
    return 0;
  },
  version: async () => {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') return (await COMMANDS.version!([])) ?? 0;
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`switchyard: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return (await command(rest)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`switchyard ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`switchyard ${name}: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
