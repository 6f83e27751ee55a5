/**
 * `switchyard hw [--json] [--config FILE] [--state-dir DIR]`: what this machine has and which
 * models to run on it, computed by the same hardware service the daemon's doors call.
 */
import { parseArgs } from 'node:util';
import type { Recommendations } from '../shared/hardware/recommendations';
import { fmtGiB, fmtPlacement, fmtSpeed, hardwareLines } from '../shared/hardware/format-hardware';
import { textTable } from '../shared/report/text-table';
import { ConfigError } from '../daemon/core/config-error';
import { loadConfigFile } from '../daemon/config/load-config';
import { HardwareService } from '../daemon/hardware/hardware-service';
import { defaultStateDir } from '../daemon/lifecycle/state-file';
import { HW_USAGE } from './usage';

export async function runHwCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      config: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HW_USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfigFile(values.config ?? process.env.SWITCHYARD_CONFIG);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`switchyard hw: ${error.message}\n`);
    return 2;
  }
  const service = new HardwareService({
    stateDir: values['state-dir'] ?? defaultStateDir(),
    settings: config.hardware,
    warn: (message) => process.stderr.write(`switchyard hw: ${message}\n`),
  });
  try {
    const recommendations = await service.recommendations(AbortSignal.timeout(30_000));
    process.stdout.write(values.json ? `${JSON.stringify(recommendations, null, 2)}\n` : `${formatRecommendations(recommendations)}\n`);
    return 0;
  } finally {
    await service.close();
  }
}

export function formatRecommendations(recommendations: Recommendations): string {
  const out: string[] = [];
  out.push('This machine');
  for (const [label, value, source] of hardwareLines(recommendations.hardware)) out.push(`  ${`${label}:`.padEnd(18)}${value}  [${source}]`);
  out.push('');
  for (const [label, pick] of [
    ['Best for completion', recommendations.completion],
    ['Best for chat', recommendations.chat],
  ] as const) {
    out.push(pick === null ? `${label}: nothing fits on this machine` : `${label}: ${pick.name} (${pick.ollamaTag}) ${pick.quant}, ${pick.contextTokens} context — ${pick.why}`);
  }
  const picked = new Set([recommendations.completion?.id, recommendations.chat?.id]);
  const alternates = [...new Set([...recommendations.alternates.completion, ...recommendations.alternates.chat].filter((m) => !picked.has(m.id)).map((m) => m.name))];
  if (alternates.length > 0) out.push(`Alternates: ${alternates.join(', ')}`);
  out.push('');
  const rows = recommendations.models.map((model) => [
    `${model.name}${model.installedAs ? ' (installed)' : ''}`,
    model.fim ? 'yes' : 'no',
    fmtPlacement(model),
    model.quant,
    String(model.contextTokens),
    `${fmtGiB(model.memory.totalBytes)} / ${fmtGiB(model.availableBytes)}`,
    fmtSpeed(model.speed),
    model.licenseLimit ? `${model.license}*` : model.license,
  ]);
  out.push(textTable(['model', 'FIM', 'fit', 'quant', 'context', 'memory needed / free', 'decode', 'license'], rows));
  const limits = recommendations.models.filter((model) => model.licenseLimit).map((model) => `  ${model.name}: ${model.licenseLimit}`);
  if (limits.length > 0) out.push('', '* License limits:', ...limits);
  const notes = [...recommendations.hardware.notes, ...recommendations.notes];
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((note) => `  • ${note}`));
  out.push('', 'Speeds are estimates from memory bandwidth until a model is benchmarked here ("measured").');
  return out.join('\n');
}
