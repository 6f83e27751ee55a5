import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseReport } from '../../../shared/report/validate';
import { bench, phase, tempDir, withSimulator } from '../bench-test-helpers';
import { runCli } from './cli-process';

test('impossible runs are refused before any load, each with a message', async () => {
  const cases: [string[], RegExp][] = [
    [['--scenario', 'fixed-rate', '--rate', '0'], /--rate must be above 0 \(got 0\)/],
    [['--scenario', 'blast', '--requests', '-5'], /--requests must be a whole number of at least 1 \(got -5\)/],
    [['--scenario', 'blast', '--concurrency', '5000'], /concurrency 5000 is above the sane cap of 2000; add --force/],
    [['--scenario', 'fixed-rate', '--rate', '1e9'], /rate 1000000000\/s is above the sane cap of 100000\/s/],
    [['--scenario', 'warp'], /unknown scenario "warp"/],
    [['--preset', '999'], /unknown preset "999"/],
    [['--scenario', 'mix', '--models', 'a,b', '--weights', '1,2,3'], /--weights has 3 values for 2 models/],
    [['--rate', 'fast'], /--rate must be a number, got "fast"/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli([...args, '--target', 'http://127.0.0.1:9']);
    assert.equal(run.code, 2, `${args.join(' ')} → exit ${run.code}\n${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '', 'nothing ran');
  }
});

test('an unreachable target is named before any load is sent', async () => {
  const port = await closedPort();
  const run = await runCli(['--scenario', 'blast', '--target', `http://127.0.0.1:${port}`, '--requests', '10']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`));
});

test('compare refuses a report of the wrong version with a clear message', async () => {
  const dir = tempDir();
  const a = join(dir, 'a.json');
  writeFileSync(a, JSON.stringify({ schema: 'switchyard.bench.report', version: 0, phases: [] }));
  const run = await runCli(['compare', a, a]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /a\.json is a version 0 report; this Switchyard reads version 1/);
});

test('a target that fails every request gives a report that says so, with no NaN', async () => {
  await withSimulator({ latencyMs: 1, errorRate: 1, errorKinds: ['http500'] }, async (sim) => {
    sim.recording = false;
    const report = await bench(['--scenario', 'blast', '--target', sim.url, '--requests', '50', '--concurrency', '5']);
    assert.equal(report.allFailed, true);
    assert.match(report.notes[0]!, /Every request failed \(50 HTTP 500\)/);
    const p = phase(report);
    assert.equal(p.latency, null);
    assert.equal(p.errors.http_500, 50);
    assert.doesNotMatch(JSON.stringify(report), /NaN|null,"p50Ms":null/);
  });
  await withSimulator({ latencyMs: 1, errorRate: 1, errorKinds: ['http503'] }, async (sim) => {
    const dir = tempDir();
    const run = await runCli(['--scenario', 'sweep', '--target', sim.url, '--concurrencies', '1,4', '--requests', '20', '--out-dir', dir]);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout, /NaN|undefined/);
    assert.match(run.stdout, /Every request failed/);
    const html = readdirSync(dir).find((f) => f.endsWith('.html'))!;
    // The page's text, without the embedded report JSON (base64 histograms can spell "NaN").
    const page = readFileSync(join(dir, html), 'utf8').replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    assert.doesNotMatch(page, />[^<]*(NaN|undefined)[^<]*</);
  });
});

test('Ctrl-C stops the load and still writes a partial report', async () => {
  await withSimulator({ latencyMs: 2 }, async (sim) => {
    sim.recording = false;
    const dir = tempDir();
    const run = await runCli(['--scenario', 'fixed-rate', '--target', sim.url, '--rate', '200', '--duration', '60', '--out-dir', dir, '--quiet'], (child) => {
      const poll = setInterval(() => {
        if (sim.stats().received > 150) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
    });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /Interrupted: stopping the load and writing a partial report/);
    assert.match(run.stdout, /partial report/);
    const json = readdirSync(dir).find((f) => f.endsWith('.json'))!;
    const parsed = parseReport(readFileSync(join(dir, json), 'utf8'));
    assert.ok(parsed.ok);
    assert.equal(parsed.report.status, 'interrupted');
    const p = parsed.report.phases[0]!;
    assert.ok(p.interrupted);
    assert.ok(p.counts.ok > 100 && p.counts.ok < 12_000, `${p.counts.ok} requests before the stop`);
    assert.ok(p.latency && p.latency.summary.p50Ms > 0);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
