/**
 * The model recommendations webview page: the hardware helper's renderer
 * (`shared/hardware/render-recommendations.ts`) inside the same strict page shell as the
 * benchmark report (CSP with a nonce, nothing from the network, the extension's own script).
 */
import { RECOMMENDATIONS_CSS, renderRecommendations } from '../../shared/hardware/render-recommendations';
import type { Recommendations } from '../../shared/hardware/recommendations';
import { escapeXml } from '../../shared/report/format';
import { webviewCsp } from '../webview/webview-csp';

export interface RecommendationsPageOptions {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  /** A model being pulled or benchmarked: its buttons are disabled. */
  busyModel?: string;
}

/** What the page's buttons post back: `data-action` and `data-model` of the button. */
export type RecommendationAction = { action: 'use' | 'benchmark' | 'pull'; model: string };

export function isRecommendationAction(value: unknown): value is RecommendationAction {
  const v = value as Partial<RecommendationAction> | null;
  return !!v && (v.action === 'use' || v.action === 'benchmark' || v.action === 'pull') && typeof v.model === 'string' && v.model !== '';
}

export function renderRecommendationsWebview(recommendations: Recommendations, o: RecommendationsPageOptions): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeXml(webviewCsp(o.cspSource, o.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Switchyard: model recommendations</title>',
    `<style nonce="${escapeXml(o.nonce)}">${RECOMMENDATIONS_CSS}</style>`,
    '</head><body>',
    renderRecommendations(recommendations, { busyModel: o.busyModel }),
    `<script nonce="${escapeXml(o.nonce)}" src="${escapeXml(o.scriptUri)}"></script>`,
    '</body></html>',
  ].join('\n');
}
