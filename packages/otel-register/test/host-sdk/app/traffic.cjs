// The traffic of the host-SDK fixture app, the same for its CommonJS and ES module entries: each
// entry loads the modules its own way (require or import) and hands them over, so the register's
// hooks see them as that kind of application loads them.
'use strict';

const FETCHES = 5;
const GETS = 5;

async function runTraffic({ http, express, pg, OpenAI, invokeAgent, executeTool, createVoiceTracker }) {
  const app = express();
  app.get('/fetch/:id', (_request, response) => response.send('fetched'));
  app.get('/get/:id', (_request, response) => response.send('got'));
  const server = http.createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;

  for (let index = 0; index < FETCHES; index++) await (await fetch(`${base}/fetch/${index}`)).text();
  for (let index = 0; index < GETS; index++) {
    await new Promise((resolve, reject) => {
      http
        .get(`${base}/get/${index}`, (response) => {
          response.resume();
          response.on('end', resolve);
        })
        .on('error', reject);
    });
  }

  let queries = 0;
  let failedQueries = 0;
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    for (let index = 0; index < 3; index++) {
      await client.query('SELECT 1');
      queries++;
    }
    await client.query('SELECT * FROM no_such_table').catch(() => failedQueries++);
    await client.end();
  }

  let llmCalls = 0;
  if (process.env.OPENAI_BASE_URL) {
    const openai = new OpenAI({ apiKey: 'test', baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
    for (let index = 0; index < 2; index++) {
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      llmCalls++;
    }
  }

  for (let index = 0; index < 3; index++) {
    await invokeAgent('host-sdk-agent', () => executeTool('lookup', async () => index));
  }

  const voice = createVoiceTracker({ agentName: 'host-sdk-agent' });
  for (let index = 0; index < 2; index++) {
    const turn = voice.startTurn();
    turn.mark('user_speech_end');
    turn.mark('first_audio_out');
    turn.end();
  }

  const FORCED_GCS = 3;
  for (let index = 0; index < FORCED_GCS; index++) globalThis.gc();
  // GC entries reach observers asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 200));
  server.close();
  return {
    serverRequests: FETCHES + GETS,
    fetches: FETCHES + llmCalls,
    gets: GETS,
    queries,
    failedQueries,
    llmCalls,
    agentInvocations: 3,
    toolCalls: 3,
    voiceTurns: 2,
    forcedMajorGcs: FORCED_GCS,
    // Every major GC since the process started (gc-counter.cjs, the first preload).
    majorGcs: globalThis.__hostAppGcCounts.major,
  };
}

module.exports = { runTraffic };
