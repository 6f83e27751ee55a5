import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../daemon/core/config-error';
import { parseConfigText } from '../../../daemon/config/load-config';

function problemsOf(toml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(toml, env, 'test.toml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('the config was accepted');
}

describe('config file', () => {
  it('works with no file at all: defaults, discovery of local servers', () => {
    const config = parseConfigText('', {});
    assert.equal(config.server.port, 4141);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.ollamaDoorWithoutToken, false);
    assert.deepEqual(config.discoveryCandidates.map((c) => c.baseUrl), [
      'http://127.0.0.1:11434',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:1234/v1',
      'http://127.0.0.1:8000/v1',
    ]);
    assert.equal(config.providers.length, 0);
  });

  it('enables OpenAI and Anthropic from their key variables, keeping the keys out of the config', () => {
    const config = parseConfigText('', { OPENAI_API_KEY: 'sk-test-1', ANTHROPIC_API_KEY: 'sk-ant-2' });
    assert.deepEqual(config.providers.map((p) => [p.name, p.kind, p.local]), [
      ['openai', 'openai', false],
      ['anthropic', 'anthropic', false],
    ]);
    assert.equal(config.providers[0]!.apiKey, 'sk-test-1');
    assert.ok(!JSON.stringify(config.file).includes('sk-test-1'));
  });

  it('names the key, the value and what was expected for a wrong kind', () => {
    const problems = problemsOf('[[providers]]\nname = "x"\nkind = "foo"\nbase_url = "http://127.0.0.1:1"\n');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^providers\[0\]\.kind: got "foo", expected one of "openai" \| "ollama" \| "anthropic" \| "llamacpp"$/);
  });

  it('names a misspelt key', () => {
    const problems = problemsOf('[server]\nprot = 5\n');
    assert.match(problems.join('\n'), /server\.prot: unknown key/);
  });

  it('rejects a wrong type and a non-loopback host', () => {
    assert.match(problemsOf('[server]\nport = "abc"\n').join('\n'), /server\.port: got "abc", expected integer/);
    assert.match(problemsOf('[server]\nhost = "0.0.0.0"\n').join('\n'), /server\.host: got "0\.0\.0\.0", expected one of "127\.0\.0\.1"/);
  });

  it('reports broken TOML with its line', () => {
    assert.match(problemsOf('[server\nport = 1').join('\n'), /not valid TOML \(line 1/);
  });

  it('warns when the environment variable a provider names for its key is unset, and never takes the key itself', () => {
    const toml = '[[providers]]\nname = "cloud"\nkind = "openai"\nbase_url = "https://api.example.com/v1"\napi_key_env = "EXAMPLE_KEY"\n';
    const keyless = parseConfigText(toml, {});
    assert.equal(keyless.providers[0]!.apiKey, undefined);
    assert.match(keyless.warnings.join('\n'), /providers\[0\]\.api_key_env: the environment variable EXAMPLE_KEY is not set/);
    const config = parseConfigText(toml, { EXAMPLE_KEY: 'secret' });
    assert.equal(config.providers[0]!.apiKey, 'secret');
    assert.equal(config.providers[0]!.local, false);
    assert.match(problemsOf('[[providers]]\nname = "c"\nkind = "openai"\nbase_url = "https://x"\napi_key = "sk-in-file"\n').join('\n'), /providers\[0\]\.api_key: unknown key/);
  });

  it('rejects two providers with one name', () => {
    const entry = '[[providers]]\nname = "a"\nkind = "ollama"\nbase_url = "http://127.0.0.1:1"\n';
    assert.match(problemsOf(entry + entry).join('\n'), /providers\[1\]\.name: got "a", expected a name not used by another provider/);
  });
});
