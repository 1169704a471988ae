import pino, { type Logger, type LevelWithSilent } from 'pino';

/** Keys whose values are secrets wherever they appear in a log object. */
const REDACT = [
  'clientSecret',
  'client_secret',
  'adminToken',
  'proxyPassword',
  'token',
  'access_token',
  'authorization',
  '["proxy-authorization"]',
  '*.clientSecret',
  '*.proxyPassword',
  '*.authorization',
  '*["proxy-authorization"]',
  '*.token',
  'headers.authorization',
  'req.headers.authorization',
];

/**
 * pino JSON to stdout (journald adds time and unit), one child logger per module. Secrets are
 * redacted by key; the code also never passes them to a logger, this is the second fence.
 */
export function createLogger(options: { level: LevelWithSilent; destination?: pino.DestinationStream }): Logger {
  return pino({ level: options.level, base: { app: 'ptgw' }, redact: { paths: REDACT, censor: '[redacted]' } }, options.destination ?? pino.destination(1));
}
