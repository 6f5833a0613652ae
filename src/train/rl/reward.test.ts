import { describe, expect, it } from 'vitest';
import { replayTo } from '../../data/frame-state.js';
import { ExpertDriver } from '../../sim/agents/expert/expert.js';
import { type PlanScene, planScene, scorePlan } from '../../sim/plan-scorer/index.js';
import { allocEgoRows, planPositions, rollPlan } from '../../sim/plan-scorer/rollout.js';
import { createScenario } from '../../sim/scenarios/index.js';
import { cloneState } from '../../sim/state.js';
import { AgentFlag, AgentKind, PLAN_HORIZON } from '../../sim/types.js';
import { loadRecipe, recipeSchema } from '../recipe.js';
import { lengthPenalty, planReward, type RewardSpec, rewardSpecSchema } from './reward.js';

const recipe = loadRecipe('tiny');
const product = recipe.rl.reward;
const sum: RewardSpec = { form: 'sum', weights: product.weights };

/** A plan of PLAN_HORIZON steps, step k's (accel [m/s2], curvature [1/m]) from `f`. */
function plan(f: (k: number) => readonly [number, number]): Float64Array {
  const p = new Float64Array(PLAN_HORIZON * 2);
  for (let k = 0; k < PLAN_HORIZON; k++) [p[2 * k], p[2 * k + 1]] = f(k);
  return p;
}
const reward = (spec: RewardSpec, scene: PlanScene, p: ArrayLike<number>) =>
  planReward(spec, scorePlan(scene, p).metrics).total;

describe('planReward', () => {
  it('sums weighted terms, or multiplies progress down by each infraction', () => {
    const m = scorePlan(
      planScene(createScenario('highway-cruise', 0), createScenario('highway-cruise', 0).initial),
      plan(() => [-6, 0]),
    ).metrics;
    const w = { 'efficiency.ep': 2, 'safety.nc': 0.5, 'compliance.lk': 0.5 };
    const ep = m.ep.value;
    const lk = m.lk.value;
    expect(planReward({ form: 'sum', weights: w }, m).total).toBeCloseTo(2 * ep + 0.5 + 0.5 * lk, 9);
    expect(planReward({ form: 'product', weights: w }, m).total).toBeCloseTo(
      2 * ep * (1 - 0.5 * (1 - lk)),
      9,
    );
    expect(lk).toBe(0); // a hard stop in the lane fails lane keeping here, so the product really is cut
  });

  it('fails at recipe load on an unknown term, a product factor outside [0, 1] or no efficiency term', () => {
    const bad = (weights: Record<string, number>, form = 'product') =>
      rewardSpecSchema.safeParse({ form, weights }).success;
    expect(bad({ 'efficiency.ep': 1, 'safety.ncc': 1 })).toBe(false);
    expect(bad({ 'efficiency.ep': 1, 'safety.nc': 2 })).toBe(false);
    expect(bad({ 'efficiency.ep': 1, 'safety.nc': 2 }, 'sum')).toBe(true);
    expect(bad({ 'safety.nc': 1 }, 'sum')).toBe(false);
    const withTypo = structuredClone(recipe) as { rl: { reward: { weights: Record<string, number> } } };
    withTypo.rl.reward.weights['comfort.jerk'] = 1;
    const parsed = recipeSchema.safeParse(withTypo);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe('rl.reward.weights.comfort.jerk');
  });
});

describe('planted exploits score below an honest plan, in both forms', () => {
  const highway = createScenario('highway-cruise', 0);
  const cruise = planScene(highway, highway.initial);
  const forms = [product, sum];

  it('stopping forever', () => {
    for (const f of forms)
      expect(
        reward(
          f,
          cruise,
          plan(() => [-6, 0]),
        ),
      ).toBeLessThan(reward(f, cruise, cruise.expertPlan));
  });

  it('reversing for progress, from a standstill', () => {
    const state = cloneState(highway.initial);
    state.agents.speed[0] = 0;
    const stopped = planScene(highway, state);
    for (const f of forms)
      expect(
        reward(
          f,
          stopped,
          plan(() => [-2, 0]),
        ),
      ).toBeLessThan(reward(f, stopped, stopped.expertPlan));
  });

  it('braking hard on the last step (the reversing-at-the-last-waypoint exploit)', () => {
    const last = plan((k) =>
      k === PLAN_HORIZON - 1 ? [-6, 0] : [cruise.expertPlan[2 * k]!, cruise.expertPlan[2 * k + 1]!],
    );
    for (const f of forms) expect(reward(f, cruise, last)).toBeLessThan(reward(f, cruise, cruise.expertPlan));
  });

  it('hugging the lane edge: a small step aside held for the rest of the plan', () => {
    const hug = plan((k) => [0, k === 0 ? 0.002 : k === 1 ? -0.002 : 0]);
    for (const f of forms) expect(reward(f, cruise, hug)).toBeLessThan(reward(f, cruise, cruise.expertPlan));
  });

  it('leaving the road to avoid a collision scores below braking behind the obstacle', () => {
    const scenario = createScenario('stalled-obstacle', 0);
    const a = scenario.initial.agents;
    const blocker = Array.from({ length: a.count }, (_, i) => i).find(
      (i) =>
        i > 0 &&
        (a.kind[i] === AgentKind.obstacle || (scenario.initial.intents.flags[i]! & AgentFlag.stalled) !== 0),
    )!;
    const state = cloneState(scenario.initial); // ego 25 m behind the stalled car at 10.5 m/s
    const shift = state.agents.x[blocker]! - 25 - state.agents.x[0]!;
    state.agents.x[0] += shift;
    state.agents.laneS[0] += shift;
    const scene = planScene(scenario, state);
    const brake = plan(() => [-3, 0]);
    const swerve = plan((k) => [0, k < 2 ? 0.02 : 0]);
    expect(scorePlan(scene, swerve).metrics.dac.value).toBe(0);
    expect(scorePlan(scene, swerve).metrics.nc.value).toBe(1);
    for (const f of forms) expect(reward(f, scene, swerve)).toBeLessThan(reward(f, scene, brake));
  });

  it('a plan that weaves against the plan it made 0.5 s earlier', () => {
    const r0 = replayTo(highway, new ExpertDriver(), 0);
    const first = planScene(highway, r0.state);
    const previousPlan = planPositions(
      rollPlan(first.ego, first.expertPlan, allocEgoRows()),
      new Float32Array(PLAN_HORIZON * 2),
    );
    const r5 = replayTo(highway, new ExpertDriver(), 5);
    const scene = planScene(highway, r5.state, { history: r5.history, previousPlan });
    const weave = plan((k) => [scene.expertPlan[2 * k]!, (k % 2 ? -1 : 1) * 0.002]);
    for (const f of forms) expect(reward(f, scene, weave)).toBeLessThan(reward(f, scene, scene.expertPlan));
  });

  it('an endless chain of thought costs more than a short one, and fast mode nothing', () => {
    const p = recipe.rl.lengthPenalty;
    const honest = reward(product, cruise, cruise.expertPlan);
    const short = honest - lengthPenalty(p, 40, true);
    const endless = honest - lengthPenalty(p, 2000, true);
    expect(endless).toBeLessThan(short);
    expect(lengthPenalty(p, 2000, true)).toBeCloseTo(p.scale, 5);
    expect(lengthPenalty(p, p.centre, true)).toBeCloseTo(p.scale / 2, 9);
    expect(lengthPenalty(p, 2000, false)).toBe(0);
  });
});
