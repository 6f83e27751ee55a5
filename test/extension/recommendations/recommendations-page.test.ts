/**
 * The recommendations webview page with this machine's real recommendations, in headless
 * Chromium under its CSP: the hardware renderer's table shows, a button posts its action and
 * model to the extension, and the progress the extension sends lands in that model's cell.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isRecommendationAction, renderRecommendationsWebview } from '../../../extension/recommendations/recommendations-page';
import { makeNonce } from '../../../extension/webview/webview-csp';
import { ARTIFACTS, fakeVsCodeApi, launchChromium, recordOffMachineRequests, skipWithoutChromium } from '../../helpers/headless-chromium';
import { thisMachineRecommendations } from '../../helpers/this-machine-recommendations';

const DIST = resolve(__dirname, '..', '..', '..', 'dist');

test('only well-formed actions from the page are acted on', () => {
  assert.ok(isRecommendationAction({ action: 'pull', model: 'qwen2.5-coder:1.5b' }));
  assert.ok(!isRecommendationAction({ action: 'rm -rf', model: 'x' }));
  assert.ok(!isRecommendationAction({ action: 'use', model: '' }));
  assert.ok(!isRecommendationAction(null));
});

test('the page loads only its own script, with the nonce, and disables the busy model\'s buttons', async () => {
  const recommendations = await thisMachineRecommendations();
  const nonce = makeNonce();
  const busy = recommendations.models.find((m) => m.fim && m.fit !== 'none');
  const html = renderRecommendationsWebview(recommendations, { nonce, cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/webview-recommendations.js', busyModel: busy?.ollamaTag });
  assert.match(html, new RegExp(`script-src &#39;nonce-${nonce}&#39;`));
  assert.equal((html.match(/<script(?![^>]*nonce=)/g) ?? []).length, 0);
  assert.ok(!/(src|href)="https?:/.test(html));
  if (busy) assert.match(html, new RegExp(`data-action="use" data-model="${busy.ollamaTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" disabled`));
});

test('in Chromium under its CSP, a button posts its action and the progress lands in the model\'s cell', { skip: skipWithoutChromium || (!existsSync(join(DIST, 'webview-recommendations.js')) && 'needs a build (npm run build)') }, async () => {
  const recommendations = await thisMachineRecommendations();
  const usable = recommendations.models.find((m) => m.fim && m.fit !== 'none');
  assert.ok(usable, 'some completion model fits this machine');
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-ext-recs-page-'));
  const file = join(dir, 'recommendations.html');
  writeFileSync(file, renderRecommendationsWebview(recommendations, { nonce: makeNonce(), cspSource: 'file:', scriptUri: pathToFileURL(join(DIST, 'webview-recommendations.js')).href }));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const offMachine = recordOffMachineRequests(page);
    await fakeVsCodeApi(page);
    await page.goto(pathToFileURL(file).href);
    const tag = usable.installedAs ?? usable.ollamaTag;
    await page.click(`button[data-action="use"][data-model="${tag}"]`);
    const posted = await page.evaluate('window.__posted');
    assert.deepEqual(posted, [{ action: 'use', model: tag }]);
    // What the extension posts while a pull or benchmark runs.
    await page.evaluate(`window.postMessage({ type: 'progress', model: ${JSON.stringify(usable.ollamaTag)}, text: 'pulling manifest · 40%' }, '*')`);
    await page.waitForFunction(`document.querySelector('[data-progress-for="${usable.ollamaTag}"]').textContent === 'pulling manifest · 40%'`, undefined, { timeout: 5_000 });
    assert.deepEqual(offMachine, []);
    await page.screenshot({ path: join(ARTIFACTS, 'extension-recommendations-webview.png'), fullPage: false });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
