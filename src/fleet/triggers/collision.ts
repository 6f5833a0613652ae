// The collision trigger: an at-fault contact (NC) or a near miss (TTC fails: a contact within the NAVSIM
// horizon at constant velocity). Not the metrics themselves (sim/metrics/collision.ts, ttc.ts).

import { fails, runStarts, type Trigger } from './trigger.js';

export const collisionTrigger: Trigger = {
  name: 'collision',
  unit: '1 = at-fault contact, 0 = near miss',
  events({ log, series }) {
    const contacts = new Set(series.collisions.filter((c) => c.atFault).map((c) => c.step));
    const ttc = series.metrics.ttc;
    return runStarts(log.steps + 1, (t) => (contacts.has(t) ? 1 : fails(ttc, t) ? 0 : null));
  },
};
