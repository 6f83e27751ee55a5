/**
 * What the status-bar item shows for a status the daemon pushed: text, tooltip (markdown with
 * command links), colour and click command. No `vscode` import, so every state is tested as
 * text; `status-bar.ts` only copies this onto the item.
 */
import type { EditorStatus } from '../../shared/lsp/protocol';
import { fmtMs } from '../../shared/report/format';

export type StatusColour = 'error' | 'warning' | undefined;

export interface StatusView {
  text: string;
  tooltip: string;
  colour: StatusColour;
  command: string;
}

/** The connection as the extension sees it, around the daemon's own status. */
export type LinkState = { kind: 'starting' } | { kind: 'connected'; status: EditorStatus } | { kind: 'stopped'; reason: string };

export const LOCAL_ICON = '$(vm)';
export const CLOUD_ICON = '$(cloud)';
export const CACHED_MARK = '$(database)';

const LINKS = [
  ['Switch model', 'switchyard.switchModel'],
  ['Pause or resume', 'switchyard.toggleCompletions'],
  ['Benchmark', 'switchyard.runBenchmark'],
  ['Logs', 'switchyard.showLogs'],
  ['Restart daemon', 'switchyard.restartDaemon'],
] as const;

export function statusView(link: LinkState): StatusView {
  if (link.kind === 'starting') {
    return { text: '$(sync~spin) Switchyard', tooltip: 'Switchyard: connecting to the gateway daemon…', colour: undefined, command: 'switchyard.showLogs' };
  }
  if (link.kind === 'stopped') {
    return {
      text: '$(error) Switchyard: daemon stopped',
      tooltip: `**Switchyard** daemon stopped: ${escapeMarkdown(link.reason)}\n\n${commandLinks()}`,
      colour: 'error',
      command: 'switchyard.restartDaemon',
    };
  }
  const s = link.status;
  const lines = [`**Switchyard** ${escapeMarkdown(stateSentence(s))}`];
  if (s.message) lines.push(escapeMarkdown(s.message));
  if (s.active) lines.push(`Route: ${escapeMarkdown(s.active.route ? `${s.active.route} → ` : '')}${escapeMarkdown(`${s.active.provider} · ${s.active.model}`)} (${s.active.local ? 'local' : 'cloud'})`);
  if (s.lastCompletion) lines.push(`Last completion: ${fmtMs(s.lastCompletion.latencyMs)}${s.lastCompletion.cached ? ' (cached)' : ''}`);
  lines.push(...budgetLines(s));
  lines.push(`Daemon ${escapeMarkdown(s.daemon.version)}, pid ${s.daemon.pid}`);
  lines.push(commandLinks());
  return { text: statusText(s), tooltip: lines.join('\n\n'), colour: colourOf(s), command: 'switchyard.switchModel' };
}

function statusText(s: EditorStatus): string {
  if (s.state === 'paused') return s.active ? `$(debug-pause) ${s.active.provider} · ${s.active.model} (paused)` : '$(debug-pause) Completions paused';
  if (s.state === 'no-provider' || !s.active) return '$(circle-slash) No model available';
  const route = `${s.active.local ? LOCAL_ICON : CLOUD_ICON} ${s.active.provider} · ${s.active.model}`;
  const last = s.lastCompletion ? ` ${fmtMs(s.lastCompletion.latencyMs)}${s.lastCompletion.cached ? ` ${CACHED_MARK}` : ''}` : '';
  return `${route}${last}`;
}

/** No model yet is expected on a first run: plain, not an error colour. */
function colourOf(s: EditorStatus): StatusColour {
  if (s.state === 'error') return 'error';
  if (s.state === 'warning') return 'warning';
  return undefined;
}

function stateSentence(s: EditorStatus): string {
  switch (s.state) {
    case 'ok':
      return 'serves completions.';
    case 'no-provider':
      return 'has no model available yet. Click to start a model server, add a provider or set a cloud key.';
    case 'warning':
      return 'serves completions, degraded.';
    case 'error':
      return 'cannot serve the route in force.';
    case 'paused':
      return 'completions are paused.';
  }
}

function budgetLines(s: EditorStatus): string[] {
  return s.budgets.map((b) => {
    const money = b.limitUsd !== undefined ? `$${b.spentUsd.toFixed(2)} of $${b.limitUsd.toFixed(2)} ($${Math.max(0, b.limitUsd - b.spentUsd).toFixed(2)} left)` : `$${b.spentUsd.toFixed(2)} spent`;
    const tokens = b.limitTokens !== undefined ? `, ${b.spentTokens.toLocaleString('en-US')} of ${b.limitTokens.toLocaleString('en-US')} tokens` : b.spentTokens ? `, ${b.spentTokens.toLocaleString('en-US')} tokens` : '';
    return `Budget ${escapeMarkdown(b.name)}: ${money}${tokens}; resets ${escapeMarkdown(b.resetsAt)}`;
  });
}

function commandLinks(): string {
  return LINKS.map(([label, command]) => `[${label}](command:${command})`).join(' · ');
}

function escapeMarkdown(text: string): string {
  // Only what would start markup inside a line; names like `qwen2.5-coder` stay as typed.
  return text.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);
}
