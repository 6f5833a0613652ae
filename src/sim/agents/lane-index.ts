// Agents grouped by lane and ordered by arc length, rebuilt once per step: leader and follower lookups in
// O(lanes on the path) instead of O(agents). Not the behaviour that uses them (traffic.ts).

import { type AgentArrays, AgentKind } from '../types.js';

/** Whether an agent occupies a lane as a vehicle does (followed, blocks a lane change). */
export function vehicleLike(kind: number): boolean {
  return (
    kind === AgentKind.vehicle ||
    kind === AgentKind.ego ||
    kind === AgentKind.obstacle ||
    kind === AgentKind.cyclist
  );
}

export class LaneIndex {
  private order = new Int32Array(0); // agent indices sorted by (laneId, laneS)
  private start = new Int32Array(0); // (lanes + 1,) first position in `order` of each lane
  private count = 0;
  /** Valid pedestrians, in agent order. */
  readonly pedestrians: number[] = [];

  /** Indexes the valid vehicle-like agents of `a` on `lanes` lanes. */
  build(a: AgentArrays, lanes: number): void {
    if (this.order.length < a.count) this.order = new Int32Array(a.count);
    if (this.start.length < lanes + 1) this.start = new Int32Array(lanes + 1);
    const start = this.start;
    start.fill(0, 0, lanes + 1);
    for (let j = 0; j < a.count; j++) if (this.member(a, j)) start[a.laneId[j] + 1]++;
    for (let l = 0; l < lanes; l++) start[l + 1] += start[l];
    const fill = start.slice(0, lanes); // next free slot per lane
    for (let j = 0; j < a.count; j++) if (this.member(a, j)) this.order[fill[a.laneId[j]]++] = j;
    this.count = start[lanes];
    this.pedestrians.length = 0;
    for (let j = 0; j < a.count; j++)
      if (a.valid[j] === 1 && a.kind[j] === AgentKind.pedestrian) this.pedestrians.push(j);
    // Insertion sort by arc length within each lane: lanes hold few agents and stay nearly sorted.
    for (let l = 0; l < lanes; l++) {
      for (let p = start[l] + 1; p < start[l + 1]; p++) {
        const j = this.order[p];
        let q = p - 1;
        while (q >= start[l] && a.laneS[this.order[q]] > a.laneS[j]) {
          this.order[q + 1] = this.order[q];
          q--;
        }
        this.order[q + 1] = j;
      }
    }
  }

  private member(a: AgentArrays, j: number): boolean {
    return a.valid[j] === 1 && a.laneId[j] >= 0 && vehicleLike(a.kind[j]);
  }

  /** The first agent on `laneId` with arc length above s (skipping `self` and `skip`), or -1. */
  ahead(a: AgentArrays, laneId: number, s: number, self: number, skip: number): number {
    for (let p = this.start[laneId]; p < this.start[laneId + 1]; p++) {
      const j = this.order[p];
      if (a.laneS[j] > s && j !== self && j !== skip) return j;
    }
    return -1;
  }

  /** The last agent on `laneId` with arc length below s (skipping `self`), or -1. */
  behind(a: AgentArrays, laneId: number, s: number, self: number): number {
    for (let p = this.start[laneId + 1] - 1; p >= this.start[laneId]; p--) {
      const j = this.order[p];
      if (a.laneS[j] < s && j !== self) return j;
    }
    return -1;
  }

  get size(): number {
    return this.count;
  }
}
