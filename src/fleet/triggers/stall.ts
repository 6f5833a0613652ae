// The stall trigger: ego stands (below the recipe's speed) for the recipe's time with its goal not reached.
// Standing at a red light that long fires it too: its precision says how often a stall is a failure.

import { logIndex } from '../../labels/frame.js';
import { DT } from '../../sim/types.js';
import { runStarts, type Trigger } from './trigger.js';

const GOAL_REACH = 5; // [m] from the route's goal ego has arrived, and standing is no stall

export const stallTrigger: Trigger = {
  name: 'stall',
  unit: 's standing',
  events({ scenario, log, thresholds }) {
    const needed = Math.round(thresholds.stallSeconds / DT); // [steps]
    const [gx, gy] = scenario.route.goal;
    let standing = 0; // [steps] in a row
    return runStarts(log.steps + 1, (t) => {
      const i = logIndex(log, 0, t);
      const arrived = Math.hypot(log.x[i]! - gx, log.y[i]! - gy) < GOAL_REACH;
      standing = Math.abs(log.speed[i]!) < thresholds.stallSpeed && !arrived ? standing + 1 : 0;
      return standing >= needed ? standing * DT : null;
    });
  },
};
