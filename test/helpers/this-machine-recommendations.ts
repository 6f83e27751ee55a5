/** This machine's real model recommendations, from a hardware service with a state folder of its own (removed after). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HardwareService } from '../../daemon/hardware/hardware-service';
import type { Recommendations } from '../../shared/hardware/recommendations';

export async function thisMachineRecommendations(): Promise<Recommendations> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-recs-'));
  const service = new HardwareService({ stateDir });
  try {
    return await service.recommendations(AbortSignal.timeout(20_000));
  } finally {
    await service.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
