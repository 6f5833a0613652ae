// GRPO's group-normalised advantages: each sampled plan's reward minus its group's mean, over the group's standard
// deviation. Not the rewards themselves (reward.ts) nor the update (objective.ts).

const STD_FLOOR = 1e-6; // a group whose rewards are all equal teaches nothing: its advantages are 0

/** (B x G) rewards, group-major, to advantages of the same layout; population std, as GRPO normalises. */
export function groupAdvantages(rewards: ArrayLike<number>, group: number): Float64Array {
  if (group < 1 || rewards.length % group !== 0)
    throw new RangeError(`${rewards.length} rewards do not split into groups of ${group}`);
  const out = new Float64Array(rewards.length);
  for (let at = 0; at < rewards.length; at += group) {
    let mean = 0;
    for (let i = 0; i < group; i++) mean += rewards[at + i]! / group;
    let variance = 0;
    for (let i = 0; i < group; i++) variance += (rewards[at + i]! - mean) ** 2 / group;
    const std = Math.sqrt(variance);
    if (std < STD_FLOOR) continue;
    for (let i = 0; i < group; i++) out[at + i] = (rewards[at + i]! - mean) / std;
  }
  return out;
}
