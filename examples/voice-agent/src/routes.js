// The HTTP API. Routes are declared with templates (`/sessions/:id/turns`), which is what the
// register's Express instrumentation puts in the http_route label: a session id never becomes one.

const express = require('express');
const { APIError } = require('openai');
const { MAX_BYTES } = require('./audio');
const { RealtimeTurnError } = require('./realtime-call');
const { HttpError } = require('./sessions');
const { ToolTimeoutError } = require('./tools');

/** What a failure means to the client: theirs (4xx), a dependency's (502/504), or a bug (500). */
function statusOf(error) {
  if (error instanceof HttpError) return error.status;
  if (error instanceof ToolTimeoutError) return 504;
  // The LLM provider failed, after the client's retries (connection errors included).
  if (error instanceof APIError || error instanceof RealtimeTurnError) return 502;
  // express.json()'s errors (malformed JSON, body too large) carry their 4xx status.
  if (error?.expose && Number.isInteger(error.status)) return error.status;
  return 500;
}

function readTurn(body) {
  const { audioBytes, text, bargeInAfterWords } = body ?? {};
  if (
    audioBytes !== undefined &&
    !(Number.isInteger(audioBytes) && audioBytes > 0 && audioBytes <= MAX_BYTES)
  ) {
    throw new HttpError(400, 'invalid_turn', `audioBytes must be an integer from 1 to ${MAX_BYTES}`);
  }
  if (text !== undefined && (typeof text !== 'string' || text.length > 2000)) {
    throw new HttpError(400, 'invalid_turn', 'text must be a string of at most 2000 characters');
  }
  if (audioBytes === undefined && !text)
    throw new HttpError(400, 'invalid_turn', 'a turn needs audioBytes or text');
  if (bargeInAfterWords !== undefined && !(Number.isInteger(bargeInAfterWords) && bargeInAfterWords > 0)) {
    throw new HttpError(400, 'invalid_turn', 'bargeInAfterWords must be a positive integer');
  }
  return { audioBytes, text, bargeInAfterWords };
}

/** `stopping()`: true once the demo shuts down. */
function createApp({ sessions, store, stopping = () => false }) {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  app.get('/health', async (_request, response) => {
    try {
      await store.ping();
      response.json({ status: 'ok', openSessions: sessions.open });
    } catch {
      response.status(503).json({ status: 'database unavailable' });
    }
  });

  app.post('/sessions', async (request, response) => {
    const context =
      typeof request.body?.context === 'string' ? request.body.context.slice(0, 500) : undefined;
    const speechToSpeech = request.body?.speechToSpeech === true;
    response.status(201).json(await sessions.start({ context, speechToSpeech }));
  });

  app.post('/sessions/:id/turns', async (request, response) => {
    response.json(await sessions.takeTurn(request.params.id, readTurn(request.body)));
  });

  app.delete('/sessions/:id', async (request, response) => {
    response.json(await sessions.end(request.params.id));
  });

  app.use((_request, response) => {
    response.status(404).json({ error: 'not_found' });
  });

  // Express 5 forwards rejected handlers here. Our own errors are explained; any other is named by
  // its class only, never its message (a provider's message may echo the prompt).
  app.use((error, _request, response, _next) => {
    const status = statusOf(error);
    // While the demo shuts down, the LLM server and the database close under the turns still
    // running (their callers are gone): those failures are expected, not bugs.
    if (status === 500 && !stopping()) {
      process.emitWarning(`unexpected error in a request: ${error?.stack ?? error}`);
    }
    if (error instanceof HttpError) {
      response.status(status).json({ error: error.code, message: error.message });
    } else {
      response.status(status).json({ error: error?.type ?? error?.name ?? 'Error' });
    }
  });

  return app;
}

module.exports = { createApp };
