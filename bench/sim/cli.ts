import { parseArgs } from 'node:util';
import type { FaultKind, SimulatorOptions } from './contract';
import { startSimulator } from './index';
import { parseLatencySpec } from './latency';
import { checkOptions } from './settings';

/** `switchyard sim`: the simulated provider as a process of its own (for benchmarks and manual tests). */

export const SIM_USAGE = `usage: switchyard sim [options]

Serves OpenAI, Ollama, Anthropic and llama.cpp server routes on 127.0.0.1, with
deterministic output. Prints {"ready":true,"url":...} once listening; SIGINT/SIGTERM stop it.

  --port N               port to bind (default 0: a free one)
  --latency-ms SPEC      time of a non-streamed reply: N, uniform:MIN:MAX, normal:MEAN:SD, lognormal:MEDIAN:SIGMA
  --ttft-ms SPEC         time to first token (same forms)
  --tokens-per-s N       decode speed; 0 = all tokens at once after the first-token time
  --output-tokens N|MIN-MAX  reply length in tokens (words), capped by the request's max tokens (default 16)
  --error-rate R         fraction 0..1 of generation requests that fail
  --error-kinds A,B      among http500,http503,http429,reset,midstream,stall,garbage,stream-error
  --retry-after S        Retry-After seconds on 429 (default 1)
  --capacity N           requests generating at once; more wait in line (default 0: unbounded)
  --seed N               seed for output text, lengths, latencies and faults (default 42)
  --models A,B           model names listed and accepted (default sim-chat,sim-coder)
  --api-key-env NAME     require the key held in this environment variable
  --close-after-response-ms N  close each connection N ms after a response while advertising
                         keep-alive (as some llama.cpp server builds do); a request sent on it
                         meanwhile gets no answer
  -h, --help             this text`;

class FlagError extends Error {}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new FlagError(`--${flag} expects a number, got "${text}"`);
  return value;
}

function latency(flag: string, text: string | undefined) {
  if (text === undefined) return undefined;
  const spec = parseLatencySpec(text);
  if (spec === undefined) throw new FlagError(`--${flag} expects N, uniform:MIN:MAX, normal:MEAN:SD or lognormal:MEDIAN:SIGMA, got "${text}"`);
  return spec;
}

function outputTokens(text: string | undefined): SimulatorOptions['outputTokens'] {
  if (text === undefined) return undefined;
  const range = /^(\d+)\s*[-:]\s*(\d+)$/.exec(text);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  return number('output-tokens', text);
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** Turns argv into options; throws FlagError with a message a person can act on. */
export function parseSimFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): SimulatorOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' }, 'latency-ms': { type: 'string' }, 'ttft-ms': { type: 'string' },
        'tokens-per-s': { type: 'string' }, 'output-tokens': { type: 'string' }, 'error-rate': { type: 'string' },
        'error-kinds': { type: 'string' }, 'retry-after': { type: 'string' }, capacity: { type: 'string' },
        seed: { type: 'string' }, models: { type: 'string' }, 'api-key-env': { type: 'string' },
        'close-after-response-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new FlagError((error as Error).message);
  }
  if (values.help) return 'help';
  const keyVariable = values['api-key-env'];
  if (keyVariable !== undefined && !env[keyVariable]) throw new FlagError(`--api-key-env: environment variable ${keyVariable} is not set`);
  const options: SimulatorOptions = {
    port: number('port', values.port),
    latencyMs: latency('latency-ms', values['latency-ms']),
    ttftMs: latency('ttft-ms', values['ttft-ms']),
    tokensPerSecond: number('tokens-per-s', values['tokens-per-s']),
    outputTokens: outputTokens(values['output-tokens']),
    errorRate: number('error-rate', values['error-rate']),
    errorKinds: list(values['error-kinds']) as FaultKind[] | undefined,
    retryAfterSeconds: number('retry-after', values['retry-after']),
    capacity: number('capacity', values.capacity),
    seed: number('seed', values.seed),
    models: list(values.models),
    apiKey: keyVariable === undefined ? undefined : env[keyVariable],
    closeAfterResponseMs: number('close-after-response-ms', values['close-after-response-ms']),
  };
  for (const key of Object.keys(options) as (keyof SimulatorOptions)[]) if (options[key] === undefined) delete options[key];
  const problems = checkOptions(options);
  if (problems.length > 0) throw new FlagError(problems.join('\n'));
  return options;
}

/** Runs until SIGINT or SIGTERM. Returns the exit code: 0 after a clean stop, 2 for bad flags, 1 if it cannot listen. */
export async function runSimCommand(argv: string[]): Promise<number> {
  let options: SimulatorOptions | 'help';
  try {
    options = parseSimFlags(argv);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    process.stderr.write(`switchyard sim: ${error.message}\n\n${SIM_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${SIM_USAGE}\n`);
    return 0;
  }
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (error) {
    process.stderr.write(`switchyard sim: cannot listen on 127.0.0.1:${options.port ?? 0}: ${(error as Error).message}\n`);
    return 1;
  }
  // A long-running process keeps counters only; a per-request list would grow without bound.
  sim.recording = false;
  process.stdout.write(`${JSON.stringify({ ready: true, url: sim.url })}\n`);
  const simulator = sim;
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void simulator.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
