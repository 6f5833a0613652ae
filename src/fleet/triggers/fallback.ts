// The runtime-fallback trigger: the car's runtime reported falling back to its safe controls (a missed
// latency budget, a bad output). A checkpoint driver reports none.

import type { Trigger } from './trigger.js';

export const fallbackTrigger: Trigger = {
  name: 'fallback',
  unit: 'fallbacks',
  events({ telemetry }) {
    return telemetry.fallbacks.map((step) => ({ step, value: 1 }));
  },
};
