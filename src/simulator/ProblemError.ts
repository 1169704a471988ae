/** An answer as handlers produce it; the server writes `body` as JSON (none when undefined). */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Text sent as-is instead of `body` (the malformed-body fault). */
  raw?: string;
}

const TITLES: Record<number, [string, string]> = {
  400: ['One or more validation errors occurred.', '15.5.1'],
  401: ['Unauthorized', '15.5.2'],
  403: ['Forbidden', '15.5.4'],
  404: ['Not Found', '15.5.5'],
  405: ['Method Not Allowed', '15.5.6'],
  410: ['Gone', '15.5.11'],
  413: ['Content Too Large', '15.5.14'],
  414: ['URI Too Long', '15.5.15'],
  429: ['Too Many Requests', '6585#section-4'],
  500: ['Internal Server Error', '15.6.1'],
  502: ['Bad Gateway', '15.6.3'],
  503: ['Service Unavailable', '15.6.4'],
  504: ['Gateway Timeout', '15.6.5'],
};

/**
 * An error answer in the ProblemDetails shape ASP.NET APIs such as Protime's use:
 * `{type, title, status, detail, errors: {field: [message]}}` — `errors` names the fields at fault.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }

  toResponse(): SimResponse {
    return { status: this.status, ...(this.headers === undefined ? {} : { headers: this.headers }), body: problemBody(this.status, this.detail, this.errors) };
  }
}

export function problemBody(status: number, detail: string, errors?: Record<string, string[]>): Record<string, unknown> {
  const [title, section] = TITLES[status] ?? ['Error', ''];
  const type = section === '' ? 'about:blank' : section.includes('#') ? `https://tools.ietf.org/html/rfc${section}` : `https://tools.ietf.org/html/rfc9110#section-${section}`;
  return { type, title, status, detail, ...(errors === undefined ? {} : { errors }) };
}

/** 400 naming one field: the message goes both into `detail` and under `errors[field]`. */
export function badRequest(field: string, message: string): ProblemError {
  return new ProblemError(400, message, { [field]: [message] });
}

export function notFound(detail: string): ProblemError {
  return new ProblemError(404, detail);
}
