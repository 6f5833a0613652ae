// What every drivefm command shares: the run folder flag (`--run DIR`, older spellings as hidden aliases), an
// example in --help, the help layout (required flags marked, defaults shown one way), the exit codes. Not a command.

import { type Command, type Help, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { EXIT_CODES } from './errors.js';

export const EXIT_CODES_HELP = '\nExit codes: 0 ok, 2 usage or input error, 1 internal error.';

/** Options that are required but checked by hand (an alias or a positional can give them): marked like mandatory ones. */
const CHECKED_BY_HAND = new WeakSet<Option>();

/**
 * An option's help text, one way for every command: `description (required)` or `description (default: VALUE)`,
 * the value unquoted; a default described in words goes in `Option.default(undefined, 'words')`.
 */
function optionDescription(this: Help, option: Option): string {
  const extra: string[] = [];
  if (option.mandatory || CHECKED_BY_HAND.has(option)) extra.push('required');
  if (option.argChoices) extra.push(`one of: ${option.argChoices.join(', ')}`);
  const shown =
    option.defaultValueDescription ??
    (option.defaultValue === undefined || typeof option.defaultValue === 'boolean'
      ? undefined
      : String(option.defaultValue));
  if (shown !== undefined) extra.push(`default: ${shown}`);
  return extra.length === 0 ? option.description : `${option.description} (${extra.join('; ')})`;
}

/** The help layout and exit codes of `program`; call before commands are added (they inherit the layout). */
export function shapeProgram(program: Command): Command {
  return program
    .configureHelp({ optionDescription })
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride((error) => {
      // commander has printed its message (an unknown flag, a missing one) or the help: 0 for help, else 2
      process.exit(error.exitCode === 0 ? 0 : EXIT_CODES.input);
    });
}

/** Adds `Example(s):` lines (each a whole command line starting with `drivefm`) after the command's --help. */
export function addExamples(command: Command, ...lines: readonly string[]): Command {
  const title = lines.length === 1 ? 'Example' : 'Examples';
  return command.addHelpText('after', `\n${title}:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}

export interface RunOptionSpec {
  readonly description: string;
  readonly required: boolean;
  /** Older flags meaning the same (`--lake`, `--out`): still accepted, hidden from --help. */
  readonly aliases?: readonly string[];
  /** The older spelling as positional argument(s) (`drivefm data stats runs/x`): still accepted, not shown. */
  readonly positional?: boolean;
  /** Several run folders (`--run a --run b`); the value is then a list. */
  readonly many?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * Adds `--run <dir>` to `command`; before its action, the older spellings are folded into `run` (a string, or a
 * list with `many`), and a missing required one or two different folders are a usage error (exit 2).
 */
export function addRunOption(command: Command, spec: RunOptionSpec): Command {
  const option = new Option('--run <dir>', spec.description);
  if (spec.many) option.argParser(collect);
  if (spec.required) CHECKED_BY_HAND.add(option);
  command.addOption(option);
  const aliases = (spec.aliases ?? []).map((flag) => {
    const alias = new Option(`${flag} <dir>`, `older spelling of --run`).hideHelp();
    command.addOption(alias);
    return alias.attributeName();
  });
  if (spec.positional) command.allowExcessArguments(true);
  command.hook('preAction', (cmd) => {
    const given: string[] = [];
    const flags = cmd.opts();
    for (const name of ['run', ...aliases]) {
      const value: unknown = flags[name];
      if (Array.isArray(value)) given.push(...value.map(String));
      else if (typeof value === 'string') given.push(value);
      if (name !== 'run') cmd.setOptionValue(name, undefined);
    }
    if (spec.positional) given.push(...cmd.args);
    const distinct = [...new Set(given)];
    if (spec.required && given.length === 0) {
      throw new UsageError(`--run: required, the run folder (e.g. --run runs/NAME)`);
    }
    if (!spec.many && distinct.length > 1) {
      throw new UsageError(`--run: one run folder, got ${distinct.map((d) => `'${d}'`).join(' and ')}`);
    }
    cmd.setOptionValue('run', spec.many ? given : distinct[0]);
  });
  return command;
}
