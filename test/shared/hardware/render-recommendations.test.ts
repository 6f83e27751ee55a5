/**
 * The recommendations webview's HTML, rendered from this machine's real recommendations in
 * headless Chromium: the summary, the picks and the ranked table show, the action buttons
 * carry what the host needs, nothing touches the network, and a screenshot is saved to
 * test-artifacts/recommendations.png for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, launchChromium, recordOffMachineRequests, skipWithoutChromium } from '../../helpers/headless-chromium';
import { thisMachineRecommendations } from '../../helpers/this-machine-recommendations';
import { renderRecommendations, renderRecommendationsPage } from '../../../shared/hardware/render-recommendations';
import type { Recommendations } from '../../../shared/hardware/recommendations';

test('the HTML escapes model text and carries the actions the host posts', () => {
  const recommendations: Recommendations = {
    hardware: {
      machineId: 'x', detectedAt: '2026-01-01T00:00:00Z', platform: 'linux', arch: 'x64',
      cpu: { brand: { value: 'CPU <b>', source: 's' }, physicalCores: { value: 4, source: 's' }, logicalCores: { value: 8, source: 's' }, avx2: { value: true, source: 's' }, avx512: { value: false, source: 's' } },
      memory: { totalBytes: { value: 8 * 2 ** 30, source: 's' }, availableBytes: { value: 4 * 2 ** 30, source: 's' }, type: { value: null, source: 's' }, speedMTs: { value: null, source: 's' }, channels: { value: null, source: 's' }, bandwidthGBps: { value: 50, source: 's' } },
      gpus: [], notes: ['<script>alert(1)</script>'],
    },
    completion: null, chat: null, alternates: { completion: [], chat: [] }, models: [],
    ollama: { reachable: true, url: 'http://127.0.0.1:11434', installed: [] }, notes: [],
  };
  const html = renderRecommendations(recommendations);
  assert.ok(!html.includes('<script>alert'), 'notes are escaped');
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /CPU &lt;b&gt;/);
  assert.match(html, /Nothing that fills in the middle fits on this machine\./);
  const page = renderRecommendationsPage(recommendations, { nonce: 'abc123' });
  assert.match(page, /Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;nonce-abc123&#39;/);
  assert.match(page, /<style nonce="abc123">/);
});

test('the recommendations page renders in headless Chromium from this machine’s recommendations', { skip: skipWithoutChromium, timeout: 60_000 }, async () => {
  const recommendations = await thisMachineRecommendations();
  // Show every action as it looks with Ollama reachable and one model installed and benchmarked.
  const installed = recommendations.models.find((m) => m.id === recommendations.completion?.id) ?? recommendations.models[0]!;
  const measured = (m: Recommendations['models'][number]) =>
    m.id === installed.id ? { ...m, installedAs: m.ollamaTag, speed: { low: 41.3, high: 41.3, ttftMs: 182, measured: true, basis: 'measured on this machine' } } : m;
  const shown: Recommendations = {
    ...recommendations,
    completion: recommendations.completion && measured(recommendations.completion),
    ollama: { ...recommendations.ollama, reachable: true, installed: [installed.ollamaTag] },
    models: recommendations.models.map(measured),
    notes: recommendations.notes.filter((note) => !/Ollama is not reachable/.test(note)),
  };
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-recs-html-'));
  const file = join(dir, 'recommendations.html');
  writeFileSync(file, renderRecommendationsPage(shown, { nonce: 'test-nonce' }));

  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const network = recordOffMachineRequests(page);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`file://${file}`);
    assert.equal(await page.locator('h1').textContent(), 'Models for this machine');
    assert.equal(await page.locator('table.models tbody tr').count(), shown.models.length);
    assert.match((await page.locator('.pick').first().textContent()) ?? '', /Best for completion/);
    // The stylesheet applied under the CSP nonce: buttons are styled, not browser defaults.
    const buttonBackground = await page.locator('button[data-action="use"]').first().evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(buttonBackground, 'rgb(14, 99, 156)');
    const actions = await page.$$eval('button[data-action]', (buttons) => buttons.map((b) => `${b.getAttribute('data-action')}:${b.getAttribute('data-model')}`));
    assert.ok(actions.includes(`use:${installed.ollamaTag}`));
    assert.ok(actions.includes(`benchmark:${installed.ollamaTag}`));
    assert.ok(actions.some((action) => action.startsWith('pull:') && !action.endsWith(installed.ollamaTag)));
    assert.match((await page.locator(`tr[data-model="${installed.ollamaTag}"] td.speed.measured`).textContent()) ?? '', /41\.3 tok\/s \(measured, TTFT 182 ms\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'recommendations.png'), fullPage: true });
    assert.deepEqual(network, [], 'the page makes no network request');
    assert.deepEqual(violations, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
