// The app under soak: a node:http server started with
//   node --expose-gc --require @va/otel-register soak/app.cjs
// and driven by soak.bench.mjs. Its routes cover every path the register measures:
//   GET /hello, GET /items/:itemId (setHttpRoute), POST /echo (a body), GET /missing (404),
//   GET /boom (500), GET /outbound (a fetch to its own /hello: the HTTP client metrics),
//   GET /query (Postgres, when DATABASE_URL is set),
//   GET /turn?…: one voice turn with the real openai client against LLM_BASE_URL (streamed,
//   non-streamed, or a 429), optional Postgres, interrupted or failed on request.
// Memory is reported over the IPC channel, after two full GCs, so the samples measure what is kept
// rather than when the collector last ran; the bench does not need a debug route on the app.
'use strict';
const http = require('node:http');
const { setHttpRoute } = require('@va/otel-register/http-route');
const { createVoiceTracker } = require('@va/instrumentation-voice');
const OpenAI = require('openai');

const openai = new OpenAI({ apiKey: 'soak', baseURL: process.env.LLM_BASE_URL, maxRetries: 0 });
const tracker = createVoiceTracker({ agentName: 'soak-agent' });
const pool = process.env.DATABASE_URL
  ? new (require('pg').Pool)({ connectionString: process.env.DATABASE_URL, max: 4 })
  : undefined;
const messages = [{ role: 'user', content: 'What time does the pharmacy open tomorrow' }];

/** Sessions of five turns: a session ends (and is recorded) when its fifth turn has ended. */
let session;
let turnsInSession = 0;
function nextTurn() {
  if (session === undefined || turnsInSession === 5) {
    session = tracker.startSession();
    turnsInSession = 0;
  }
  const owner = session;
  turnsInSession++;
  const last = turnsInSession === 5;
  return { turn: owner.startTurn(), close: () => last && owner.end() };
}

async function voiceTurn(query) {
  const { turn, close } = nextTurn();
  try {
    turn.mark('user_speech_end');
    turn.mark('stt_final');
    turn.addUsage({ sttAudioSeconds: 2.5 });
    if (pool !== undefined && query.get('db') === '1') await pool.query('SELECT 1 AS one');
    const options = query.get('llm') === '429' ? { headers: { 'x-test-scenario': 'error:429' } } : {};
    if (query.get('stream') === '1') {
      const stream = await openai.chat.completions.create(
        { model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } },
        options,
      );
      let first = true;
      for await (const _chunk of stream) {
        if (first) turn.mark('llm_first_token');
        first = false;
      }
    } else {
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, options);
      turn.mark('llm_first_token');
    }
    turn.mark('tts_first_byte');
    turn.mark('first_audio_out');
    turn.addUsage({ ttsCharacters: 120, inputTokens: 30, outputTokens: 12 });
    if (query.get('interrupt') === '1') turn.interrupted();
    turn.end();
    return 200;
  } catch {
    turn.end('error');
    return 502;
  } finally {
    close();
  }
}

async function handle(request, response) {
  const url = new URL(request.url, 'http://localhost');
  const [, resource, id] = url.pathname.split('/');
  const send = (status, body = '') => {
    response.statusCode = status;
    response.end(body);
  };
  switch (resource) {
    case 'hello':
      return send(200, 'hello');
    case 'items':
      setHttpRoute(request, '/items/:itemId');
      return send(200, `item ${id}`);
    case 'echo': {
      setHttpRoute(request, '/echo');
      const chunks = [];
      for await (const chunk of request) chunks.push(chunk);
      return send(201, Buffer.concat(chunks));
    }
    case 'boom':
      setHttpRoute(request, '/boom');
      return send(500, 'boom');
    case 'outbound': {
      setHttpRoute(request, '/outbound');
      const answer = await fetch(`http://127.0.0.1:${server.address().port}/hello`);
      return send(200, await answer.text());
    }
    case 'query':
      setHttpRoute(request, '/query');
      await pool.query('SELECT 1 AS one');
      return send(200, 'queried');
    case 'turn':
      setHttpRoute(request, '/turn');
      return send(await voiceTurn(url.searchParams));
    default:
      return send(404, 'not found');
  }
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error) => {
    response.statusCode = 500;
    response.end(String(error));
  });
});

if (!process.send) {
  console.error('soak/app.cjs is started by soak.bench.mjs (it needs the IPC channel)');
  process.exit(2);
}
process.on('message', (message) => {
  if (message?.type !== 'memory') return;
  global.gc();
  global.gc();
  process.send({ memory: process.memoryUsage() });
});
process.once('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ listening: server.address().port }));
