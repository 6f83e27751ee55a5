import type { CapacityQueue } from './capacity-queue';
import type { Recorder } from './recorder';
import type { SimSettings } from './settings';

/** The simulator's mutable state, owned by one `startSimulator` call and shared by its request handlers. */
export interface SimState {
  settings: SimSettings;
  readonly recorder: Recorder;
  readonly queue: CapacityQueue;
}
