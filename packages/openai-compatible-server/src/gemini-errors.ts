/**
 * Gemini-shaped error bodies, as the Gemini API and Vertex AI send them:
 * `{ error: { code, message, status } }`, `status` being the gRPC code name of the HTTP status.
 * The `@google/genai` client throws an `ApiError` whose `status` is the HTTP status and whose
 * message is this body as JSON.
 */

export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

const KNOWN: Record<number, { status: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: { status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission.' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  409: { status: 'ABORTED', message: 'The operation was aborted.' },
  413: { status: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit.' },
  429: {
    status: 'RESOURCE_EXHAUSTED',
    message: 'Resource has been exhausted (e.g. check quota).',
  },
  499: { status: 'CANCELLED', message: 'The operation was cancelled.' },
  500: { status: 'INTERNAL', message: 'An internal error has occurred. Please retry.' },
  501: { status: 'UNIMPLEMENTED', message: 'Method not implemented.' },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
};

export function geminiErrorBody(code: number, message?: string): GeminiErrorBody {
  const known = KNOWN[code] ?? {
    status: code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION',
    message: `Error ${code}.`,
  };
  return { error: { code, message: message ?? known.message, status: known.status } };
}
