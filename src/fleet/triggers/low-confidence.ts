// The low-confidence trigger: at a replan the car model's action tokens are spread (mean entropy above the
// recipe's threshold). Not how the entropy is measured (policy/model-driver.ts).

import type { Trigger } from './trigger.js';

export const lowConfidenceTrigger: Trigger = {
  name: 'low-confidence',
  unit: 'nats mean action-token entropy',
  events({ telemetry, thresholds }) {
    return telemetry.replans
      .filter((r) => r.entropy > thresholds.entropy)
      .map((r) => ({ step: r.step, value: r.entropy }));
  },
};
