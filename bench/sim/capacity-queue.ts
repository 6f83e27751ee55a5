/**
 * At most `capacity` requests generate at once; the rest wait in arrival order, like a model
 * server with a fixed number of slots. A waiting request whose client leaves gives up its place.
 */

/** A request in the queue. It enters in state `waiting`; the queue moves it on. */
export interface QueueTicket {
  state: 'waiting' | 'running' | 'done';
  start(): void;
}

export class CapacityQueue {
  private capacity: number;
  private running = 0;
  private waiting: (QueueTicket | undefined)[] = [];
  private head = 0;
  private waitingCount = 0;
  private peak = 0;

  /** `capacity` 0 means unbounded. */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waitingCount;
  }

  get peakActive(): number {
    return this.peak;
  }

  resetPeak(): void {
    this.peak = this.running;
  }

  setCapacity(capacity: number): void {
    this.capacity = capacity;
    this.drain();
  }

  /**
   * Runs the ticket's `start` now if a slot is free, else when one frees up. The caller holds
   * the ticket before `start` runs, so a start that finishes at once can `leave` it.
   */
  enter(ticket: QueueTicket): void {
    if (this.waitingCount === 0 && this.hasFreeSlot()) this.run(ticket);
    else {
      this.waiting.push(ticket);
      this.waitingCount++;
    }
  }

  /** Frees the ticket's slot, or takes it out of the line. Safe to call twice. */
  leave(ticket: QueueTicket): void {
    if (ticket.state === 'running') {
      ticket.state = 'done';
      this.running--;
      this.drain();
    } else if (ticket.state === 'waiting') {
      ticket.state = 'done';
      this.waitingCount--;
      const index = this.waiting.indexOf(ticket, this.head);
      if (index >= 0) this.waiting[index] = undefined;
    }
  }

  private hasFreeSlot(): boolean {
    return this.capacity === 0 || this.running < this.capacity;
  }

  private run(ticket: QueueTicket): void {
    ticket.state = 'running';
    this.running++;
    if (this.running > this.peak) this.peak = this.running;
    ticket.start();
  }

  private drain(): void {
    while (this.waitingCount > 0 && this.hasFreeSlot()) {
      const ticket = this.waiting[this.head];
      this.waiting[this.head++] = undefined;
      if (ticket === undefined || ticket.state !== 'waiting') continue;
      this.waitingCount--;
      this.run(ticket);
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }
}
