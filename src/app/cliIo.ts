import { isPtgwError, type ErrorCode } from '../core/errors.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Exit codes of DESIGN.md: 0 ok, 1 runtime failure, 2 usage or configuration error. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'SECRET_MISSING', 'USAGE', 'INVALID_ARGUMENT', 'PROFILE_INVALID', 'TIMEZONE_INVALID']);

export function exitCodeFor(err: unknown): number {
  return isPtgwError(err) && USAGE_CODES.has(err.code) ? 2 : 1;
}

/** One clear sentence; the stack and causes only when asked for. */
export function reportError(io: CliIo, err: unknown, verbose: boolean): number {
  const message = err instanceof Error ? err.message : String(err);
  io.err(`ptgw: ${message}\n`);
  if (verbose && err instanceof Error) {
    io.err(`${err.stack ?? ''}\n`);
    let cause = err.cause;
    while (cause instanceof Error) {
      io.err(`caused by: ${cause.stack ?? cause.message}\n`);
      cause = cause.cause;
    }
  }
  return exitCodeFor(err);
}
