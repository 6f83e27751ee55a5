/**
 * Measured figures, per machine and model, in `<state dir>/measured-models.json` (mode 0600):
 * once a model is benchmarked here, its measured time to first token and tokens/s replace the
 * estimate. Keyed by machine so that a state dir synced between machines never shows one
 * machine's speed on another.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MeasuredFigures } from '../../shared/hardware/recommendations';

const MeasuredFile = Type.Object({
  version: Type.Literal(1),
  machines: Type.Record(Type.String(), Type.Record(Type.String(), MeasuredFigures)),
});
type MeasuredFile = Static<typeof MeasuredFile>;

export const MEASURED_FILE_NAME = 'measured-models.json';

export class MeasuredStore {
  readonly path: string;

  constructor(
    stateDir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.path = join(stateDir, MEASURED_FILE_NAME);
  }

  forMachine(machineId: string): MeasuredFigures[] {
    return Object.values(this.read().machines[machineId] ?? {});
  }

  record(machineId: string, figures: MeasuredFigures): void {
    const file = this.read();
    file.machines[machineId] = { ...file.machines[machineId], [figures.model]: figures };
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  private read(): MeasuredFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`cannot read ${this.path}: ${(error as Error).message}`);
      return { version: 1, machines: {} };
    }
    try {
      const data: unknown = JSON.parse(text);
      if (Value.Check(MeasuredFile, data)) return data;
    } catch {
      // Reported below with the same words as a schema mismatch.
    }
    this.warn(`${this.path} is not a measured-figures file; it will be replaced on the next benchmark`);
    return { version: 1, machines: {} };
  }
}
