// The rule-violation trigger: ego runs a red light (TLC), leaves the drivable area (DAC) or drives against the
// traffic direction (DDC), as the simulator's metrics judge each state. Not the metrics (sim/metrics/).

import { fails, runStarts, type Trigger } from './trigger.js';

export const ruleViolationTrigger: Trigger = {
  name: 'rule-violation',
  unit: 'TLC x DAC x DDC at the state',
  events({ log, series }) {
    const { tlc, dac, ddc } = series.metrics;
    return runStarts(log.steps + 1, (t) =>
      fails(tlc, t) || fails(dac, t) || fails(ddc, t)
        ? tlc.values[t]! * dac.values[t]! * ddc.values[t]!
        : null,
    );
  },
};
