import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readStateFile } from '../../../daemon/lifecycle/state-file';
import { GetHardwareRequest } from '../../../shared/lsp/hardware-protocol';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { connectLsp } from './lsp-client';

describe('LSP door: the hardware messages', () => {
  let daemon: TestDaemon;

  before(async () => {
    daemon = await startTestDaemon('');
  });
  after(async () => {
    await daemon.close();
  });

  it('answers the hardware request on the daemon’s own endpoint', { timeout: 60_000 }, async () => {
    const client = await connectLsp(readStateFile(daemon.stateDir)!);
    const detected = await client.connection.sendRequest(GetHardwareRequest.type);
    assert.ok(detected.machineId.length > 0);
    client.dispose();
  });
});
