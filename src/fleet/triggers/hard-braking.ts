// The hard-braking trigger: ego decelerates harder than the recipe's threshold. Not comfort (sim/metrics).

import { logIndex } from '../../labels/frame.js';
import { runStarts, type Trigger } from './trigger.js';

export const hardBrakingTrigger: Trigger = {
  name: 'hard-braking',
  unit: 'm/s2 deceleration',
  events({ log, thresholds }) {
    return runStarts(log.steps + 1, (t) => {
      const decel = -log.accel[logIndex(log, 0, t)]!; // [m/s2]
      return decel > thresholds.hardBrake ? decel : null;
    });
  },
};
