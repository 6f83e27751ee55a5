/** Reads a report from JSON text: wrong files and wrong versions get a clear message, not a crash. */
import { Value } from '@sinclair/typebox/value';
import { BenchReportSchema, REPORT_SCHEMA, REPORT_VERSION, type BenchReport } from './schema';

export type ParsedReport = { ok: true; report: BenchReport } | { ok: false; error: string };

export function parseReport(text: string, source = 'the file'): ParsedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${source} is not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const head = data as { schema?: unknown; version?: unknown } | null;
  if (!head || typeof head !== 'object' || head.schema !== REPORT_SCHEMA)
    return { ok: false, error: `${source} is not a Switchyard benchmark report (no "schema": "${REPORT_SCHEMA}")` };
  if (head.version !== REPORT_VERSION)
    return { ok: false, error: `${source} is a version ${String(head.version)} report; this Switchyard reads version ${REPORT_VERSION}. Re-run the benchmark to compare.` };
  return checkReport(data, source);
}

export function checkReport(data: unknown, source = 'the report'): ParsedReport {
  if (Value.Check(BenchReportSchema, data)) return { ok: true, report: data };
  const first = [...Value.Errors(BenchReportSchema, data)].slice(0, 3).map((e) => `${e.path || '/'}: ${e.message}`);
  return { ok: false, error: `${source} does not match the report schema: ${first.join('; ')}` };
}
