/**
 * The switcher's rows: the daemon's models grouped local then cloud (each group by health,
 * then moving-average latency), the configured routes, and "the daemon's default". Pure:
 * `switch-model.ts` turns these into a QuickPick.
 */
import type { ModelChoice } from '../../shared/lsp/protocol';
import { fmtMs } from '../../shared/report/format';

export type ModelPick =
  | { kind: 'separator'; label: string }
  | { kind: 'route'; label: string; description: string; detail?: string; route: string; picked: boolean };

const HEALTH_ORDER: Record<ModelChoice['health'], number> = { up: 0, unknown: 1, down: 2 };
const HEALTH_ICON: Record<ModelChoice['health'], string> = { up: '$(pass-filled)', unknown: '$(question)', down: '$(error)' };

export function modelPicks(models: ModelChoice[], routes: string[], current: string, allowCloud: boolean): ModelPick[] {
  const picks: ModelPick[] = [
    { kind: 'route', label: '$(settings) Daemon default', description: 'the completion route of the daemon\'s config', route: '', picked: current === '' },
  ];
  if (routes.length) {
    picks.push({ kind: 'separator', label: 'Routes' });
    for (const route of [...routes].sort()) picks.push({ kind: 'route', label: `$(git-merge) ${route}`, description: 'configured route', route, picked: current === route });
  }
  const local = models.filter((m) => m.local).sort(byHealthThenLatency);
  const cloud = models.filter((m) => !m.local).sort(byHealthThenLatency);
  if (local.length) picks.push({ kind: 'separator', label: 'Local' }, ...local.map((m) => modelRow(m, current)));
  if (cloud.length) {
    picks.push({ kind: 'separator', label: allowCloud ? 'Cloud' : 'Cloud (switchyard.allowCloud is off)' });
    picks.push(...cloud.map((m) => modelRow(m, current)));
  }
  return picks;
}

function modelRow(m: ModelChoice, current: string): ModelPick {
  const facts = [m.health === 'up' ? 'up' : m.health === 'down' ? 'down' : 'not probed yet'];
  if (m.ttftMs !== undefined) facts.push(`${fmtMs(m.ttftMs)} to first token`);
  if (m.inFlight) facts.push(`${m.inFlight} in flight`);
  if (m.errorRate > 0) facts.push(`${(m.errorRate * 100).toFixed(0)}% errors`);
  if (m.fim === true) facts.push('fill-in-the-middle');
  return {
    kind: 'route',
    label: `${HEALTH_ICON[m.health]} ${m.model}`,
    description: `${m.provider} · ${facts.join(' · ')}`,
    route: m.key,
    picked: current === m.key,
  };
}

function byHealthThenLatency(a: ModelChoice, b: ModelChoice): number {
  return HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || (a.ttftMs ?? Infinity) - (b.ttftMs ?? Infinity) || a.key.localeCompare(b.key);
}
