import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { endpointFor, listenLsp } from '../../../daemon/lsp/lsp-endpoint';
import { openSocket } from './lsp-client';

describe('LSP endpoint', () => {
  it('is a socket in the state dir, a named pipe on Windows, and loopback TCP where a socket path would be too long', async () => {
    assert.deepEqual(endpointFor('/home/me/.switchyard', 'linux'), { kind: 'pipe', path: '/home/me/.switchyard/lsp.sock' });
    const pipe = endpointFor('C:\\Users\\me\\.switchyard', 'win32');
    assert.equal(pipe.kind, 'pipe');
    assert.match(pipe.kind === 'pipe' ? pipe.path : '', /^\\\\\.\\pipe\\switchyard-lsp-[0-9a-f]{16}$/);
    assert.equal(endpointFor(`/tmp/${'deep/'.repeat(30)}`, 'linux').kind, 'tcp');

    const base = mkdtempSync(join(tmpdir(), 'switchyard-endpoint-'));
    const longDir = join(base, 'x'.repeat(120));
    try {
      let accepted = 0;
      const listening = await listenLsp(longDir, (socket) => {
        accepted++;
        socket.end();
      });
      assert.equal(listening.endpoint.kind, 'tcp');
      assert.ok(listening.endpoint.kind === 'tcp' && listening.endpoint.host === '127.0.0.1' && listening.endpoint.port > 0);
      const socket = await openSocket(listening.endpoint);
      socket.resume();
      await new Promise((resolve) => socket.once('close', resolve));
      assert.equal(accepted, 1);
      await listening.close();
      await listening.close();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
