// The error classes drivefm throws: each names the thing at fault (file, field, op, family) in readonly fields.
// Not for control flow inside hot loops. The CLI's top-level handler (cli/main.ts) prints them as one line, exit 2.

/** Base class: a message for people, a stable `code` for programs, and the usual `{ cause }` chain. */
export class DrivefmError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A file's content, or a field in it, is not what it should be (config, Parquet, checkpoint, ONNX, suite). */
export class InputError extends DrivefmError {
  readonly file: string | undefined;
  readonly field: string | undefined;
  constructor(args: { file?: string; field?: string; message: string; cause?: unknown }) {
    const where = [args.file, args.field].filter(Boolean).join(': ');
    super('E_INPUT', where ? `${where}: ${args.message}` : args.message, { cause: args.cause });
    this.file = args.file;
    this.field = args.field;
  }
}

/** A caller broke a documented precondition (shapes, ranges). Fix the caller, not the data. */
export class UsageError extends DrivefmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_USAGE', message, options);
  }
}

/** A name that is not one of the known ones (scenario family, suite, metric, stage, preset): a usage error. */
export class UnknownNameError extends UsageError {
  readonly kind: string;
  readonly given: string;
  readonly known: readonly string[];
  constructor(kind: string, given: string, known: readonly string[]) {
    super(`unknown ${kind} '${given}'; known: ${known.join(', ')}`);
    this.kind = kind;
    this.given = given;
    this.known = known;
  }
}
