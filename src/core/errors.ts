/**
 * The one error class of the gateway. `code` is stable and is what programs and tests match on;
 * `message` is one sentence for a person. Like undici's UND_ERR_* codes.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'SECRET_MISSING'
  | 'USAGE'
  | 'PROFILE_INVALID'
  | 'CACHE_OPEN_FAILED'
  | 'CACHE_SCHEMA_TOO_NEW'
  | 'CACHE_EMPTY'
  | 'CACHE_WRITE_FAILED'
  | 'CACHE_FILE_LOST'
  | 'SYNC_HTTP_STATUS'
  | 'SYNC_NETWORK'
  | 'SYNC_TIMEOUT'
  | 'SYNC_MALFORMED_RESPONSE'
  | 'SYNC_AUTH_FAILED'
  | 'SYNC_DELTA_EXPIRED'
  | 'SYNC_RATE_LIMITED'
  | 'DEVICE_OPEN_FAILED'
  | 'DEVICE_UNAVAILABLE'
  | 'TIMEZONE_INVALID'
  | 'HTTP_LISTEN_FAILED'
  | 'INVALID_ARGUMENT';

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SYNC_NETWORK',
  'SYNC_TIMEOUT',
  'SYNC_RATE_LIMITED',
  'DEVICE_OPEN_FAILED',
]);

export interface PtgwErrorOptions {
  cause?: unknown;
  /** HTTP status of an upstream answer, when there was one. */
  status?: number;
  /** Seconds the upstream asked us to wait (Retry-After). */
  retryAfterSeconds?: number;
  /** The config key, profile field or request field at fault. */
  field?: string;
  /**
   * 'token' when the failure is the OAuth token endpoint's (any code): the API request it was
   * fetching a token for was never sent, so it was neither refused nor done. 'proxy' when the
   * outbound proxy (protime.proxy) would not open the way: the request never reached Protime.
   */
  endpoint?: 'token' | 'proxy';
}

export class PtgwError extends Error {
  override readonly name = 'PtgwError';
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly field: string | undefined;
  readonly endpoint: 'token' | 'proxy' | undefined;

  constructor(code: ErrorCode, message: string, options: PtgwErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.field = options.field;
    this.endpoint = options.endpoint;
  }
}

export function isPtgwError(err: unknown, code?: ErrorCode): err is PtgwError {
  return err instanceof PtgwError && (code === undefined || err.code === code);
}

/** Whether trying the same operation again later can succeed without anyone changing anything. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof PtgwError)) return false;
  if (RETRYABLE.has(err.code)) return true;
  return err.code === 'SYNC_HTTP_STATUS' && err.status !== undefined && err.status >= 500;
}
