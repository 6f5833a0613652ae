// `drivefm sim`: one scenario driven by the expert, its scores, and pictures of it (a PNG at one step, or a PNG
// per frame for an episode). Flags in, calls into src/sim and src/sensors, results out.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { writeFileAtomic } from '../core/atomic.js';
import { UsageError } from '../core/errors.js';
import { drawBirdseye, encodePng } from '../sensors/index.js';
import { referenceOptions, scoreEpisode } from '../sim/metrics/index.js';
import { expertLog } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import { SCENARIO_FAMILIES } from '../sim/types.js';
import { parseCount } from './flags.js';
import { addExamples } from './shape.js';

interface SimFlags {
  family: string;
  seed: string;
  png?: string;
  step?: string;
  frames?: string;
  every: string;
  span: string;
  json?: boolean;
}

export function registerSimCommand(program: Command): void {
  const command = program
    .command('sim')
    .description("drive one scenario with the expert: scores, and a bird's-eye picture")
    .requiredOption('--family <name>', `scenario family: ${SCENARIO_FAMILIES.join(' | ')}`)
    .option('--seed <n>', 'scenario seed', '0')
    .option('--png <file>', "write a bird's-eye PNG of one step (see --step)")
    .addOption(
      new Option('--step <n>', 'the step drawn by --png').default(undefined, 'the middle of the episode'),
    )
    .option('--frames <dir>', 'write a PNG per frame of the episode into this folder (see --every)')
    .option('--every <n>', 'steps between frames for --frames', '5')
    .option('--span <metres>', "side of the square view around ego, or 'map'", '100')
    .option('--json', 'print the scores as JSON');
  addExamples(
    command,
    'drivefm sim --family jaywalker --seed 3 --png jaywalker.png',
    'drivefm sim --family cut-in --frames frames/ --every 10 --json',
  );
  command.action((flags: SimFlags) => {
    const scenario = createScenario(flags.family, parseCount(flags.seed, '--seed'));
    const log = expertLog(scenario);
    const score = scoreEpisode(scenario, log, referenceOptions(scenario, log));
    const span = flags.span === 'map' ? 'map' : parseCount(flags.span, '--span');
    if (flags.png) {
      const step = flags.step === undefined ? Math.floor(log.steps / 2) : parseCount(flags.step, '--step');
      if (step > log.steps)
        throw new UsageError(`--step: the episode has steps 0 to ${log.steps}, got ${step}`);
      const image = drawBirdseye(scenario, log, step, { span });
      writeFileAtomic(flags.png, encodePng(image.width, image.height, image.rgb));
    }
    if (flags.frames) {
      const every = Math.max(1, parseCount(flags.every, '--every'));
      mkdirSync(flags.frames, { recursive: true });
      for (let step = 0; step <= log.steps; step += every) {
        const image = drawBirdseye(scenario, log, step, { span });
        const file = join(flags.frames, `frame-${String(step).padStart(4, '0')}.png`);
        writeFileAtomic(file, encodePng(image.width, image.height, image.rgb));
      }
    }
    const metrics = Object.fromEntries(
      Object.entries(score.metrics).map(([k, m]) => [k, m.valid ? m.value : null]),
    );
    const result = {
      family: scenario.family,
      seed: scenario.seed,
      instruction: scenario.instruction,
      agents: scenario.initial.agents.count,
      steps: log.steps,
      epdms: score.epdms,
      pdms: score.pdms,
      metrics,
      collisions: score.collisions,
    };
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const shown = Object.entries(metrics).map(([k, v]) => `${k} ${v === null ? '-' : v.toFixed(2)}`);
    process.stdout.write(
      `${scenario.family} seed ${scenario.seed}: "${scenario.instruction}" ${result.agents} agents, ${log.steps} steps\n` +
        `EPDMS ${score.epdms.toFixed(3)}  PDMS ${score.pdms.toFixed(3)}  ${shown.join('  ')}\n` +
        (flags.png ? `picture: ${flags.png}\n` : '') +
        (flags.frames ? `frames: ${flags.frames}\n` : ''),
    );
  });
}
