/** `switchyard hw` on this machine, as a user runs it: the built command line. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { Recommendations } from '../../../shared/hardware/recommendations';
import { spawnCli } from '../../helpers/spawn-cli';

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnCli(args);
  let stdout = '';
  cli.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await cli.exited;
  return { code, stdout, stderr: cli.stderr() };
}

test('switchyard hw prints the hardware, the picks with why, and the ranked table; --json is the recommendations document', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-hw-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));

  const text = await run(['hw', '--state-dir', stateDir]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^This machine\n  CPU: /);
  assert.match(text.stdout, /\nBest for completion: .+ — .*fills in the middle/);
  assert.match(text.stdout, /\nBest for chat: .+ — /);
  assert.match(text.stdout, /model +FIM +fit +quant +context +memory needed \/ free +decode +license/);
  assert.match(text.stdout, /Qwen2\.5-Coder 3B .*qwen-research\*/);

  const json = await run(['hw', '--json', '--state-dir', stateDir]);
  assert.equal(json.code, 0, json.stderr);
  const document = JSON.parse(json.stdout) as unknown;
  assert.ok(Value.Check(Recommendations, document), [...Value.Errors(Recommendations, document)].slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; '));
  const recommendations = document as Recommendations;
  assert.equal(recommendations.models.length, 14);
  assert.ok(recommendations.completion?.fim);
});

test('switchyard hw with an invalid [hardware] override names the key', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-hw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.toml');
  writeFileSync(config, '[hardware]\ngpu_vram_gb = "lots"\n');
  const result = await run(['hw', '--config', config, '--state-dir', dir]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /hardware\.gpu_vram_gb: got "lots", expected number/);
});
