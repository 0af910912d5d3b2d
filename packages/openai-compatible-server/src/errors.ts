/**
 * OpenAI-shaped error bodies: `{ error: { message, type, param, code } }`. The openai client reads
 * `error.type`, `error.code` and `error.param` into its APIError, and instrumentations record them,
 * so each status gets the type and code OpenAI uses for it.
 */

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const KNOWN: Record<number, { type: string; code: string; message: string }> = {
  400: { type: 'invalid_request_error', code: 'invalid_request_error', message: 'Invalid request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided.',
  },
  403: {
    type: 'invalid_request_error',
    code: 'permission_denied',
    message: 'You are not allowed to do this.',
  },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  408: { type: 'timeout', code: 'timeout', message: 'Request timed out.' },
  409: { type: 'conflict', code: 'conflict', message: 'Conflict.' },
  422: { type: 'invalid_request_error', code: 'unprocessable_entity', message: 'Unprocessable entity.' },
  429: {
    type: 'rate_limit_exceeded',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again in 10ms.',
  },
  500: {
    type: 'server_error',
    code: 'server_error',
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  502: { type: 'server_error', code: 'bad_gateway', message: 'Bad gateway.' },
  503: {
    type: 'server_error',
    code: 'service_unavailable',
    message: 'The engine is currently overloaded, please try again later.',
  },
  504: { type: 'server_error', code: 'timeout', message: 'Gateway timeout.' },
};

export interface ErrorDetails {
  message?: string;
  param?: string | null;
  code?: string | null;
}

export function errorBody(status: number, details: ErrorDetails = {}): OpenAIErrorBody {
  const known = KNOWN[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: status >= 500 ? 'server_error' : 'invalid_request_error',
    message: `Error ${status}.`,
  };
  return {
    error: {
      message: details.message ?? known.message,
      type: known.type,
      param: details.param ?? null,
      code: details.code === undefined ? known.code : details.code,
    },
  };
}

/**
 * The client retries 408, 409, 429 and 5xx, waiting `retry-after-ms` when present and otherwise
 * backing off from half a second. A small `retry-after-ms` keeps retry tests fast.
 */
export function retryHeaders(status: number): Record<string, string> {
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  return retryable ? { 'retry-after-ms': '10', 'retry-after': '0' } : {};
}

/** Thrown by a handler for a request it cannot serve (a missing field…); answered as an OpenAI error. */
export class RequestError extends Error {
  readonly status: number;
  readonly param: string | null;

  constructor(status: number, message: string, param: string | null = null) {
    super(message);
    this.name = 'RequestError';
    this.status = status;
    this.param = param;
  }
}
