// The shadow-mode trigger: the teacher, planning beside the car on the same inputs, disagrees with the car's
// plan by more than the recipe's distance. Not the shadow driving itself (fleet/car.ts ShadowCar).

import type { Trigger } from './trigger.js';

export const shadowTrigger: Trigger = {
  name: 'shadow',
  unit: 'm max plan distance',
  events({ telemetry, thresholds }) {
    return telemetry.replans
      .filter((r) => r.disagreement !== null && r.disagreement > thresholds.disagreement)
      .map((r) => ({ step: r.step, value: r.disagreement! }));
  },
};
