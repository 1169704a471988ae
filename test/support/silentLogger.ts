import pino, { type Logger } from 'pino';

/** A real pino logger that writes nowhere, or into `lines` when a test wants to read the logs. */
export function silentLogger(lines?: string[]): Logger {
  if (lines === undefined) return pino({ level: 'silent' });
  return pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
}
