// RL post-training after instruct: GRPO on fast-mode plans scored by the plan scorer (train/rl/). Not the
// chain-of-thought variant (cot-rl.ts).

import { rlStage } from '../rl/run-rl.js';

export const rl = rlStage('rl');
