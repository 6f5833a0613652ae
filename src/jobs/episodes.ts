// Closed-loop evaluation episodes as jobs: the EpisodeScorer that evaluateSpec takes, over any JobRunner.
// Not the evaluation (eval/closed-loop.ts) nor the runners (runner.ts, queue.ts).

import type { EpisodeScorer } from '../eval/closed-loop.js';
import type { JobRunner } from './runner.js';

/** Scores each episode as one job on `runner`; the driver name is the first output's. */
export function episodeScorer(runner: JobRunner): EpisodeScorer {
  return async (spec, episodes, onScore) => {
    const outputs = await runner.run(
      episodes.map((episode) => ({ kind: 'episode', spec, episode })),
      onScore,
    );
    return { driver: outputs[0]?.driver ?? '', scores: outputs.map((o) => o.score) };
  };
}
