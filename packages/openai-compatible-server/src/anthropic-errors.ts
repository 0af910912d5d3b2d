/**
 * Anthropic-shaped error bodies: `{ type: 'error', error: { type, message }, request_id }`. The
 * `@anthropic-ai/sdk` client picks its error class from the status (429 RateLimitError, 529
 * OverloadedError, other 5xx InternalServerError…) and reads `error.type` into `APIError.type`,
 * which instrumentations record, so each status gets the type Anthropic uses for it.
 */

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

const KNOWN: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Your credit balance is too low to access the Anthropic API.' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'The requested resource could not be found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: {
    type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization. Please try again later.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  504: { type: 'timeout_error', message: 'Request timed out.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/** The `error` of a body: the type Anthropic uses for the status, and its message unless one is given. */
export function anthropicError(status: number, message?: string): { type: string; message: string } {
  const known = KNOWN[status] ?? {
    type: status >= 500 ? 'api_error' : 'invalid_request_error',
    message: `Error ${status}.`,
  };
  return { type: known.type, message: message ?? known.message };
}

export function anthropicErrorBody(
  status: number,
  message: string | undefined,
  requestId: string,
): AnthropicErrorBody {
  return { type: 'error', error: anthropicError(status, message), request_id: requestId };
}
