import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { addExamples, addRunOption, type RunOptionSpec, shapeProgram } from './shape.js';

/** The run folder(s) a command with `spec` sees for `args`. */
async function runOf(spec: RunOptionSpec, args: readonly string[]): Promise<unknown> {
  let seen: unknown = 'no action';
  const program = shapeProgram(new Command())
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const command = program.command('x');
  addRunOption(command, spec).action((flags: { run?: unknown }) => {
    seen = flags.run;
  });
  await program.parseAsync(['x', ...args], { from: 'user' });
  return seen;
}

describe('--run', () => {
  const single: RunOptionSpec = { description: 'run folder', required: true, aliases: ['--out', '--lake'] };

  it('the older flags and the positional spelling mean the same as --run', async () => {
    expect(await runOf(single, ['--run', 'runs/a'])).toBe('runs/a');
    expect(await runOf(single, ['--out', 'runs/a'])).toBe('runs/a');
    expect(await runOf(single, ['--lake', 'runs/a', '--run', 'runs/a'])).toBe('runs/a');
    expect(await runOf({ ...single, positional: true }, ['runs/b'])).toBe('runs/b');
    const many = { description: 'runs', required: true, positional: true, many: true };
    expect(await runOf(many, ['--run', 'a', '--run', 'b'])).toEqual(['a', 'b']);
    expect(await runOf(many, ['a', 'b'])).toEqual(['a', 'b']);
    expect(await runOf({ ...single, required: false }, [])).toBeUndefined();
  });

  it('missing when required, or two different folders: a usage error naming --run', async () => {
    await expect(runOf(single, [])).rejects.toThrow(UsageError);
    await expect(runOf(single, [])).rejects.toThrow('--run: required, the run folder (e.g. --run runs/NAME)');
    await expect(runOf(single, ['--run', 'a', '--out', 'b'])).rejects.toThrow(
      "--run: one run folder, got 'a' and 'b'",
    );
    await expect(runOf(single, ['a'])).rejects.toThrow(/too many arguments/); // positional only where declared
  });
});

describe('help layout', () => {
  it('required flags are marked, defaults shown one way (unquoted, words too), aliases hidden', () => {
    const program = shapeProgram(new Command('drivefm'));
    const command = program
      .command('x')
      .requiredOption('--preset <name>', 'preset')
      .option('--seed <n>', 'seed', '0')
      .addOption(new Option('--steps <n>', 'steps').default(undefined, "the recipe's"))
      .option('--json', 'print JSON');
    addRunOption(command, { description: 'run folder', required: true, aliases: ['--lake'] });
    addExamples(command, 'drivefm x --preset tiny --run runs/x');
    let help = '';
    command.configureOutput({ writeOut: (s) => (help += s) }).outputHelp();
    expect(help).toMatch(/--preset <name> +preset \(required\)\n/);
    expect(help).toMatch(/--seed <n> +seed \(default: 0\)\n/);
    expect(help).toMatch(/--steps <n> +steps \(default: the recipe's\)\n/);
    expect(help).toMatch(/--json +print JSON\n/);
    expect(help).toMatch(/--run <dir> +run folder \(required\)\n/);
    expect(help).not.toContain('--lake');
    expect(help).toContain('\nExample:\n  $ drivefm x --preset tiny --run runs/x');
  });
});
