/**
 * Calls `onIdle` once nothing has been served for `idleMs`, nothing is in flight and no editor
 * is connected (`clientsConnected`). The daemon uses it to exit after an idle period unless
 * told to stay (`idle_exit_minutes = 0`, `--stay`).
 */
export function watchIdle(
  counters: { inFlight: number; served: number },
  idleMs: number,
  onIdle: () => void,
  now: () => number = Date.now,
  clientsConnected: () => boolean = () => false,
): { stop(): void } {
  let lastServed = counters.served;
  let lastActivity = now();
  const timer = setInterval(() => {
    if (counters.served !== lastServed || counters.inFlight > 0 || clientsConnected()) {
      lastServed = counters.served;
      lastActivity = now();
      return;
    }
    if (now() - lastActivity >= idleMs) {
      clearInterval(timer);
      onIdle();
    }
  }, Math.min(30_000, Math.max(50, idleMs / 4)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
