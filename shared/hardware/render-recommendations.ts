/**
 * The recommendations as HTML, for the editor's webview (and the screenshot test): JSON in,
 * an HTML string out. Browser-safe: no DOM, no Node. Themed with VS Code's CSS variables
 * (with dark fallbacks outside VS Code). Buttons carry `data-action="use|benchmark|pull"` and
 * `data-model`; the host posts them to the daemon. Each model row has a
 * `[data-progress-for]` cell the host fills with pull or benchmark progress.
 */
import { escapeXml as esc } from '../report/format';
import { fitLabel, fmtGiB, fmtPlacement, fmtSpeed, hardwareLines } from './format-hardware';
import type { ModelEstimate, Recommendations } from './recommendations';

export interface RenderOptions {
  /** A busy model (a pull or benchmark in progress): its buttons are disabled. */
  busyModel?: string;
}

export function renderRecommendations(recommendations: Recommendations, options: RenderOptions = {}): string {
  const canPull = recommendations.ollama.reachable;
  const parts: string[] = [];
  parts.push('<main class="sy-recs">');
  parts.push('<h1>Models for this machine</h1>');
  parts.push(renderHardware(recommendations));
  parts.push('<section class="picks">');
  parts.push(renderPick('Best for completion', recommendations.completion, 'Nothing that fills in the middle fits on this machine.'));
  parts.push(renderPick('Best for chat', recommendations.chat, 'No chat model fits on this machine.'));
  parts.push('</section>');
  parts.push('<h2>All models, ranked</h2>');
  parts.push('<table class="models"><thead><tr>');
  for (const head of ['Model', 'Fit', 'Quant', 'Context', 'Memory needed / free', 'Decode', 'License', 'Why', 'Actions']) parts.push(`<th scope="col">${head}</th>`);
  parts.push('</tr></thead><tbody>');
  for (const model of recommendations.models) parts.push(renderRow(model, canPull, options.busyModel));
  parts.push('</tbody></table>');
  const notes = [...recommendations.hardware.notes, ...recommendations.notes];
  if (notes.length > 0) parts.push(`<h2>Notes</h2><ul class="notes">${notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>`);
  parts.push('<p class="muted">Decode speeds are ranges estimated from memory bandwidth; a model benchmarked on this machine shows its measured figures instead.</p>');
  parts.push('</main>');
  return parts.join('\n');
}

/** A whole page with a strict CSP: no network, styles and scripts only with the host's nonce. */
export function renderRecommendationsPage(recommendations: Recommendations, page: { nonce: string; cspSource?: string; script?: string }): string {
  const csp = [`default-src 'none'`, `style-src 'nonce-${page.nonce}'`, `script-src 'nonce-${page.nonce}'`, `img-src ${page.cspSource ?? "'none'"} data:`, `font-src ${page.cspSource ?? "'none'"}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard: model recommendations</title>
<style nonce="${esc(page.nonce)}">${RECOMMENDATIONS_CSS}</style>
</head><body>
${renderRecommendations(recommendations)}
${page.script ? `<script nonce="${esc(page.nonce)}">${page.script}</script>` : ''}
</body></html>`;
}

function renderHardware(recommendations: Recommendations): string {
  const rows = hardwareLines(recommendations.hardware)
    .map(([label, value, source]) => `<tr><th scope="row">${esc(label)}</th><td>${esc(value)}</td><td class="muted">${esc(source)}</td></tr>`)
    .join('');
  const ollama = recommendations.ollama.reachable
    ? `Ollama at ${esc(recommendations.ollama.url)}: ${recommendations.ollama.installed.length} model(s) installed`
    : `Ollama not reachable at ${esc(recommendations.ollama.url)}`;
  return `<section class="hardware"><h2>Hardware</h2><table class="hw">${rows}<tr><th scope="row">Ollama</th><td colspan="2">${ollama}</td></tr></table></section>`;
}

function renderPick(title: string, model: ModelEstimate | null, empty: string): string {
  if (model === null) return `<article class="pick"><h2>${esc(title)}</h2><p>${esc(empty)}</p></article>`;
  return `<article class="pick" data-model="${esc(model.ollamaTag)}">
<h2>${esc(title)}</h2>
<p class="pick-name">${esc(model.name)} ${badges(model)}</p>
<p class="pick-figures">${esc(fmtPlacement(model))} · ${esc(model.quant)} · ${model.contextTokens} tokens · ${esc(fmtGiB(model.memory.totalBytes))} of ${esc(fmtGiB(model.availableBytes))} · <span class="speed${model.speed?.measured ? ' measured' : ''}">${esc(fmtSpeed(model.speed))}</span></p>
<p class="why">${esc(model.why)}</p>
</article>`;
}

function badges(model: ModelEstimate): string {
  const out: string[] = [];
  if (model.installedAs) out.push(`<span class="badge installed" title="${esc(model.installedAs)}">installed</span>`);
  if (model.fim) out.push('<span class="badge">FIM</span>');
  if (model.speed?.measured) out.push('<span class="badge measured">measured</span>');
  return out.join(' ');
}

function renderRow(model: ModelEstimate, canPull: boolean, busyModel: string | undefined): string {
  const tag = model.installedAs ?? model.ollamaTag;
  const disabled = busyModel !== undefined && (busyModel === tag || busyModel === model.ollamaTag) ? ' disabled' : '';
  const actions: string[] = [];
  if (model.fim && model.fit !== 'none') actions.push(`<button type="button" data-action="use" data-model="${esc(tag)}"${disabled}>Use for completions</button>`);
  if (model.installedAs && model.fit !== 'none') actions.push(`<button type="button" class="secondary" data-action="benchmark" data-model="${esc(tag)}"${disabled}>Benchmark on this machine</button>`);
  if (canPull && !model.installedAs && model.fit !== 'none') actions.push(`<button type="button" class="secondary" data-action="pull" data-model="${esc(model.ollamaTag)}"${disabled}>Pull with Ollama</button>`);
  const license = model.licenseLimit ? `<span class="license-limit" title="${esc(model.licenseLimit)}">${esc(model.license)} ⚠</span>` : esc(model.license);
  return `<tr class="fit-${model.fit}" data-model="${esc(model.ollamaTag)}">
<td><span class="model-name">${esc(model.name)}</span> ${badges(model)}<div class="muted">${esc(model.ollamaTag)}</div></td>
<td title="${esc(fitLabel(model.fit))}">${esc(fmtPlacement(model))}</td>
<td>${esc(model.quant)}</td>
<td>${model.contextTokens}</td>
<td>${esc(fmtGiB(model.memory.totalBytes))} / ${esc(fmtGiB(model.availableBytes))}</td>
<td class="speed${model.speed?.measured ? ' measured' : ''}" title="${esc(model.speed?.basis ?? '')}">${esc(fmtSpeed(model.speed))}</td>
<td>${license}</td>
<td class="why">${esc(model.why)}</td>
<td class="actions">${actions.join(' ')}<div class="progress" data-progress-for="${esc(model.ollamaTag)}" aria-live="polite"></div></td>
</tr>`;
}

export const RECOMMENDATIONS_CSS = `
body { margin: 0; padding: 16px 20px; color: var(--vscode-foreground, #cccccc); background: var(--vscode-editor-background, #1e1e1e); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
h1 { font-size: 1.5em; font-weight: 600; margin: 0 0 12px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 18px 0 8px; }
.muted { color: var(--vscode-descriptionForeground, #9d9d9d); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--vscode-panel-border, #3c3c3c); }
thead th { color: var(--vscode-descriptionForeground, #9d9d9d); font-weight: 600; }
table.hw th { width: 140px; font-weight: 600; }
.picks { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; margin-top: 8px; }
.pick { border: 1px solid var(--vscode-panel-border, #3c3c3c); border-radius: 4px; padding: 10px 14px; background: var(--vscode-editorWidget-background, #252526); }
.pick h2 { margin: 0 0 6px; font-size: 0.95em; color: var(--vscode-descriptionForeground, #9d9d9d); text-transform: uppercase; letter-spacing: 0.04em; }
.pick-name { font-size: 1.25em; font-weight: 600; margin: 0 0 4px; }
.pick-figures { margin: 0 0 6px; }
.why { color: var(--vscode-descriptionForeground, #9d9d9d); }
.pick .why { margin: 0; color: var(--vscode-foreground, #cccccc); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.8em; background: var(--vscode-badge-background, #4d4d4d); color: var(--vscode-badge-foreground, #ffffff); }
.badge.installed { background: var(--vscode-charts-blue, #3794ff); color: var(--vscode-editor-background, #1e1e1e); }
.badge.measured, .speed.measured { color: var(--vscode-charts-green, #89d185); }
.badge.measured { background: transparent; border: 1px solid var(--vscode-charts-green, #89d185); }
.license-limit { color: var(--vscode-editorWarning-foreground, #cca700); }
tr.fit-none td { color: var(--vscode-disabledForeground, #6b6b6b); }
.model-name { font-weight: 600; }
button { font: inherit; padding: 3px 10px; margin: 0 4px 4px 0; border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; cursor: pointer; color: var(--vscode-button-foreground, #ffffff); background: var(--vscode-button-background, #0e639c); }
button:hover { background: var(--vscode-button-hoverBackground, #1177bb); }
button.secondary { color: var(--vscode-button-secondaryForeground, #cccccc); background: var(--vscode-button-secondaryBackground, #3a3d41); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground, #45494e); }
button:disabled { opacity: 0.5; cursor: default; }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: 2px; }
.progress { font-size: 0.9em; color: var(--vscode-descriptionForeground, #9d9d9d); }
ul.notes { margin: 0; padding-left: 20px; }
`;
