import { parseArgs } from 'node:util';

// The command line of `npm run crucible`: each command declares its arguments and options once,
// and the usage text, `--help` and the errors come from that declaration. Nothing here opens the
// database, so help and mistakes are answered at once.

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the usage ("N", "a,b"); string options only. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments, in order (shown in the usage line as given, e.g. "RUN_ID"). */
  args: string[];
  summary: string;
  options: Record<string, OptionSpec>;
}

export type CommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string }
  | {
      kind: 'command';
      command: string;
      args: string[];
      values: Record<string, string | boolean | undefined>;
    };

const PROGRAM = 'npm run crucible --';

/** The usage of every command: what `--help` and `help` print. */
export function usage(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => signature(c).length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Benchmark runs from the terminal, on the same database as the server.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${signature(c).padEnd(width)}  ${c.summary}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's options.`,
    '',
  ].join('\n');
}

/** One command's usage and options. */
export function commandUsage(c: CommandSpec): string {
  const options = Object.entries(c.options).map(([name, o]) => [
    `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`,
    o.help,
  ]);
  options.push(['--help', 'print this help']);
  const width = Math.max(...options.map(([flag]) => flag!.length));
  return [
    `Usage: ${PROGRAM} ${signature(c)}${Object.keys(c.options).length ? ' [options]' : ''}`,
    '',
    `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`,
    '',
    'Options:',
    ...options.map(([flag, help]) => `  ${flag!.padEnd(width)}  ${help}`),
    '',
  ].join('\n');
}

const signature = (c: CommandSpec) => [c.name, ...c.args].join(' ');

/**
 * Reads the command line: help (`--help`, `-h`, `help`, `help <command>`, `<command> --help`), a
 * command with its arguments and options, or an error in one line (an unknown command or option,
 * a missing value, too many arguments).
 */
export function parseCommandLine(argv: readonly string[], commands: readonly CommandSpec[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help', text: usage(commands) };
  const find = (name: string) => commands.find((c) => c.name === name);
  const names = commands.map((c) => c.name).join(', ');
  if (first === 'help') {
    if (rest.length === 0) return { kind: 'help', text: usage(commands) };
    const c = find(rest[0]!);
    return c
      ? { kind: 'help', text: commandUsage(c) }
      : { kind: 'error', message: `unknown command "${rest[0]}"; commands: ${names}` };
  }
  if (first.startsWith('-'))
    return { kind: 'error', message: `unknown option ${first}; give a command first (${names})` };
  const c = find(first);
  if (!c) return { kind: 'error', message: `unknown command "${first}"; commands: ${names}` };
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', text: commandUsage(c) };
  try {
    const parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(Object.entries(c.options).map(([name, o]) => [name, { type: o.type }])),
    });
    if (parsed.positionals.length > c.args.length)
      return {
        kind: 'error',
        message: `${c.name} takes ${c.args.length ? c.args.join(' ') : 'no arguments'}, not "${parsed.positionals.slice(c.args.length).join(' ')}" (see ${PROGRAM} ${c.name} --help)`,
      };
    return { kind: 'command', command: c.name, args: parsed.positionals, values: parsed.values };
  } catch (e) {
    return { kind: 'error', message: `${c.name}: ${optionProblem(e)} (see ${PROGRAM} ${c.name} --help)` };
  }
}

/** node:util's parse errors, in one line without its advice about "--" (which does not apply here). */
function optionProblem(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const message = String(err.message ?? e);
  const option = /'(-[^']+)'/.exec(message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? message}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return `option ${option?.split(' ')[0] ?? ''} needs a value`;
    return `option ${option ?? ''} takes no value`;
  }
  return message.split('\n')[0]!;
}
