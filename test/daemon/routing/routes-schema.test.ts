import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { ConfigError } from '../../../daemon/core/config-error';
import { parseRoutingConfig, type KnownProvider } from '../../../daemon/routing/routes-schema';

const providers: KnownProvider[] = [
  { name: 'ollama', local: true, models: [] },
  { name: 'vllm', local: true, models: ['coder-7b'] },
  { name: 'openai', local: false, models: ['gpt-4.1-mini'] },
];

function parseToml(text: string) {
  const file = parse(text) as { routes?: unknown; routing?: unknown };
  return parseRoutingConfig(file.routes, file.routing, providers);
}

function problemsOf(text: string): string[] {
  try {
    parseToml(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('routes config', () => {
  it('parses a full route and applies defaults', () => {
    const { config, warnings } = parseToml(`
[routing]
probe_interval_ms = 5000
[routing.breaker]
cooldown_ms = 2000

[routes.chat]
strategy = "local-first"
allow_cloud = true
deadline_ms = 30000
candidates = [
  { provider = "ollama", model = "llama3.2" },
  { provider = "openai", model = "gpt-4.1-mini" },
]

[routes.completion]
strategy = "weighted"
hedge = { after_ms = 150 }
retries = { per_candidate = 0 }
candidates = [ { provider = "vllm", model = "coder-7b", weight = 3 }, { provider = "ollama", model = "qwen", weight = 1, capacity = 2 } ]
`);
    assert.deepEqual(warnings, []);
    assert.equal(config.probe.intervalMs, 5_000);
    assert.equal(config.breaker.cooldownMs, 2_000);
    assert.equal(config.breaker.failureThreshold, 5);
    const chat = config.routes.get('chat')!;
    assert.equal(chat.strategy, 'local-first');
    assert.equal(chat.allowCloud, true);
    assert.equal(chat.deadlineMs, 30_000);
    assert.equal(chat.hedge, undefined);
    const completion = config.routes.get('completion')!;
    assert.deepEqual(completion.candidates[0], { provider: 'vllm', model: 'coder-7b', weight: 3, capacity: undefined });
    assert.equal(completion.hedge?.afterMs, 150);
    assert.equal(completion.retries.retriesPerCandidate, 0);
    assert.equal(completion.retries.maxAttempts, 4);
  });

  it('names the key of an unknown provider', () => {
    const problems = problemsOf(`[routes.chat]\ncandidates = [{ provider = "ollama", model = "a" }, { provider = "nope", model = "b" }]`);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^routes\.chat\.candidates\[1\]\.provider: got "nope", expected a configured provider/);
  });

  it('names the key of an empty candidate list', () => {
    assert.match(problemsOf(`[routes.fast]\ncandidates = []`)[0]!, /^routes\.fast\.candidates: got \[\], expected at least one/);
  });

  it('names the key of a weight that is not positive', () => {
    const problems = problemsOf(`[routes.chat]\nstrategy = "weighted"\ncandidates = [{ provider = "ollama", model = "a", weight = 2 }, { provider = "ollama", model = "b", weight = 0 }, { provider = "ollama", model = "c", weight = -1 }]`);
    assert.deepEqual(problems, [
      'routes.chat.candidates[1].weight: got 0, expected a positive number',
      'routes.chat.candidates[2].weight: got -1, expected a positive number',
    ]);
  });

  it('names schema errors: unknown strategy, misspelt keys, wrong types', () => {
    const problems = problemsOf(`
[routes.a]
strategy = "fastest"
candidates = [{ provider = "ollama", model = "m" }]
[routes.b]
candidate = []
[routes.c]
candidates = [{ provider = "ollama", model = "m" }]
deadline_ms = "soon"
[routing]
probe_interval_ms = -1
`);
    const text = problems.join('\n');
    assert.match(text, /routes\.a\.strategy: got "fastest", expected one of "priority" \| "round-robin"/);
    assert.match(text, /routes\.b\.candidate: .*(no such|unknown) key/);
    assert.match(text, /routes\.b\.candidates: got nothing/);
    assert.match(text, /routes\.c\.deadline_ms: got "soon"/);
    assert.match(text, /routing\.probe_interval_ms: got -1/);
  });

  it('checks a model against a provider’s configured list, and rejects duplicates', () => {
    const problems = problemsOf(`[routes.x]\ncandidates = [{ provider = "vllm", model = "other" }, { provider = "ollama", model = "m" }, { provider = "ollama", model = "m" }]`);
    assert.match(problems[0]!, /^routes\.x\.candidates\[0\]\.model: got "other", expected a model provider "vllm" lists \("coder-7b"\)/);
    assert.match(problems[1]!, /^routes\.x\.candidates\[2\]: "ollama\/m" is listed twice/);
  });

  it('warns about a cloud candidate on a route that does not allow cloud', () => {
    const { config, warnings } = parseToml(`[routes.chat]\ncandidates = [{ provider = "ollama", model = "m" }, { provider = "openai", model = "gpt-4.1-mini" }]`);
    assert.equal(config.routes.get('chat')!.allowCloud, false);
    assert.match(warnings[0]!, /routes\.chat\.candidates\[1\]: "openai" is a cloud provider and routes\.chat\.allow_cloud is not true/);
  });
});
