/** Wire types of the daemon's own admin routes (`/v1/switchyard/...`) and its state file. */
import type { LspEndpoint } from './lsp/protocol';

/** `<state-dir>/daemon.json`, mode 0600: how clients find and authenticate to the one daemon of this user. */
export interface DaemonStateFile {
  pid: number;
  port: number;
  /** Bearer token every route but `/health` requires. */
  token: string;
  version: string;
  /** e.g. `http://127.0.0.1:4141` */
  url: string;
  startedAt: string;
  /** The editor's door: where vscode-languageclient connects. */
  lsp: LspEndpoint;
}

/** The line `switchyard daemon` prints to stdout once it serves. */
export interface DaemonReadyLine {
  ready: true;
  url: string;
  stateFile: string;
  pid: number;
  version: string;
}

/** `GET /v1/switchyard/status`: process figures, used by the benchmark to read RSS and CPU time. */
export interface DaemonStatus {
  version: string;
  pid: number;
  uptimeSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** process.cpuUsage() of the daemon, microseconds. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  inFlightRequests: number;
  requestsServed: number;
}
