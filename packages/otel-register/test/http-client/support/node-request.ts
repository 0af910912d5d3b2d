import type { ClientRequest, IncomingMessage } from 'node:http';
import * as http from 'node:http';
import type * as https from 'node:https';

/** node:https's options, a superset of node:http's (`ca` for the throwaway certificate). */
type RequestOptions = https.RequestOptions;

export interface NodeOutcome {
  readonly request: ClientRequest;
  readonly status?: number;
  readonly body?: string;
  /** The error the app's `error` listener received. */
  readonly error?: Error;
}

/**
 * One request as an app sends it with node:http (or node:https): a `response` listener that reads
 * the body, an `error` listener. Resolves when the body ended or the request failed.
 */
export function send(
  options: RequestOptions & { body?: string },
  client: typeof http | typeof https = http,
): Promise<NodeOutcome> {
  return new Promise((resolve) => {
    const { body, ...requestOptions } = options;
    const request = client.request(requestOptions, (response: IncomingMessage) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ request, status: response.statusCode, body: text }));
    });
    request.on('error', (error) => resolve({ request, error }));
    request.end(body);
  });
}
