/**
 * The daemon's editor door: an LSP endpoint beside the HTTP one, serving many editor windows
 * at once, each on its own connection (`editor-session.ts`). It calls the same gateway
 * services as the HTTP door and holds no gateway logic of its own.
 */
import type { Socket } from 'node:net';
import type { LspEndpoint } from '../../shared/lsp/protocol';
import type { DoorServices } from './door-services';
import { EditorSession } from './editor-session';
import { listenLsp, type ListeningEndpoint } from './lsp-endpoint';

/**
 * Health, breakers and budgets change without an event the door could listen to; while editors
 * are connected their status is recomputed this often and pushed only when it changed.
 */
const STATUS_CHECK_MS = 2_000;

export class LspDoor {
  private readonly sessions = new Set<EditorSession>();
  private nextId = 1;
  private statusTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private listening!: ListeningEndpoint;

  private constructor(private readonly services: Omit<DoorServices, 'statusMayHaveChanged'>) {}

  static async open(stateDir: string, services: Omit<DoorServices, 'statusMayHaveChanged'>): Promise<LspDoor> {
    const door = new LspDoor(services);
    door.listening = await listenLsp(stateDir, (socket) => door.accept(socket));
    return door;
  }

  get endpoint(): LspEndpoint {
    return this.listening.endpoint;
  }

  /** Editor connections open now; the daemon does not idle out while there is one. */
  get connections(): number {
    return this.sessions.size;
  }

  /** Recomputes every editor's status now and pushes what changed. */
  statusMayHaveChanged(): void {
    for (const session of this.sessions) void session.refreshStatus();
  }

  /** Stops listening and ends every connection; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.statusTimer !== undefined) clearInterval(this.statusTimer);
      this.statusTimer = undefined;
      const closed = this.listening.close();
      for (const session of [...this.sessions]) session.end('the daemon is stopping');
      await closed;
    })();
    return this.closing;
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    const services: DoorServices = { ...this.services, statusMayHaveChanged: () => this.statusMayHaveChanged() };
    const session = new EditorSession(socket, services, this.nextId++, (ended) => this.forget(ended));
    this.sessions.add(session);
    if (this.statusTimer === undefined) {
      this.statusTimer = setInterval(() => this.statusMayHaveChanged(), STATUS_CHECK_MS);
      this.statusTimer.unref();
    }
  }

  private forget(session: EditorSession): void {
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.statusTimer !== undefined) {
      clearInterval(this.statusTimer);
      this.statusTimer = undefined;
    }
  }
}
