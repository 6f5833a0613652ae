// The lanes NAVSIM counts as on-route (metric_cache_processor.py `_load_route_dicts`: every lane of the route's
// roadblocks and roadblock connectors), for DDC and TLC. Not ego's place along the route (route.ts).

import type { RoadMap, Route } from '../types.js';

/**
 * Lane ids on the route: the route's lanes with all their same-direction neighbours (a roadblock), and every
 * connector that links two such lanes (a roadblock connector: the parallel turns between the same two roads).
 */
export function routeLaneSet(map: RoadMap, route: Route): ReadonlySet<number> {
  const set = new Set<number>();
  for (const id of route.laneIds) {
    set.add(id);
    for (const side of ['leftNeighbour', 'rightNeighbour'] as const) {
      const seen = new Set<number>([id]);
      for (let n = map.lanes[id][side]; n >= 0 && !seen.has(n); n = map.lanes[n][side]) {
        seen.add(n);
        set.add(n);
      }
    }
  }
  for (const lane of map.lanes) {
    if (lane.kind !== 'connector' || set.has(lane.id)) continue;
    if (lane.predecessors.some((p) => set.has(p)) && lane.successors.some((s) => set.has(s)))
      set.add(lane.id);
  }
  return set;
}
