import type { InitializeParams } from 'vscode-languageserver-protocol';
import { processAlive } from '../../shared/lifecycle/daemon-liveness';

/** How often the editor's process is checked once `initialize` named it. */
const PROCESS_CHECK_MS = 3_000;

/**
 * vscode-languageserver's `WatchDog`, for a daemon that serves many editors: where the stock one
 * exits the whole process (the `exit` notification, a client `processId` that is gone), this one
 * ends only the connection it belongs to. One per connection; `dispose()` stops its timer.
 */
export class ConnectionWatchdog {
  shutdownReceived = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Ends this connection only (closes its socket). */
    private readonly endConnection: (reason: string) => void,
    private readonly isAlive: (pid: number) => boolean = processAlive,
    private readonly checkEveryMs = PROCESS_CHECK_MS,
  ) {}

  initialize(params: InitializeParams): void {
    const pid = params.processId;
    if (typeof pid !== 'number' || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (!this.isAlive(pid)) this.endConnection(`the editor process ${pid} is gone`);
    }, this.checkEveryMs);
    this.timer.unref();
  }

  exit(code: number): void {
    this.endConnection(code === 0 ? 'exit after shutdown' : 'exit without shutdown');
  }

  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

