import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { program } from './main.js';

/** Commands that print no results, so need no --json, and why. Adding one here needs a reason. */
const PRINTS_NO_RESULTS: Readonly<Record<string, string>> = {
  worker: 'runs jobs until stopped, logging to stderr',
};

/** Every command under `command` that runs something (no subcommands), with its path ('data stats'). */
function leaves(command: Command, path: readonly string[] = []): [string, Command][] {
  return command.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) =>
      c.commands.length === 0 ? [[[...path, c.name()].join(' '), c]] : leaves(c, [...path, c.name()]),
    ) as [string, Command][];
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s) }).outputHelp();
  return text;
}

describe('every registered command', () => {
  const commands = leaves(program);

  it('the walk finds the commands (it is not vacuous)', () => {
    expect(commands.map(([path]) => path)).toEqual(
      expect.arrayContaining(['data generate', 'data stats', 'eval', 'run', 'report', 'serve', 'sim']),
    );
  });

  it('the top --help documents the exit codes', () => {
    expect(helpOf(program)).toContain('Exit codes: 0 ok, 2 usage or input error, 1 internal error.');
  });

  it.each(commands)(
    '%s: a description, an example of itself, --json where it prints results',
    (path, command) => {
      expect(command.description().length, 'description').toBeGreaterThan(10);
      const help = helpOf(command);
      expect(help, 'example').toMatch(new RegExp(`\\nExamples?:\\n  \\$ drivefm ${path} `));
      const flags = command.options.map((o) => o.long);
      if (!Object.hasOwn(PRINTS_NO_RESULTS, path)) expect(flags, '--json').toContain('--json');
      for (const option of command.options) {
        // defaults go through commander's default (or .default(undefined, 'words')), shown one way by shape.ts
        expect(option.description, `${option.long}: a default written in the description`).not.toMatch(
          /\(default[: ]/i,
        );
      }
    },
  );

  it('one spelling of a run folder: no visible --lake, and --run where a run folder is an input', () => {
    for (const [path, command] of commands) {
      const visible = command.options.filter((o) => !o.hidden).map((o) => o.long);
      expect(visible, path).not.toContain('--lake');
      expect(
        command.registeredArguments.map((a) => a.name()),
        path,
      ).not.toContain('run');
    }
  });
});
