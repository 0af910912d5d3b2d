// No prompt, completion, tool argument, audio, user or session identifier ever reaches the exposition,
// whatever the app sends: an app under `node --require @va/otel-register` puts a unique canary in every
// place it could (see fixtures/privacy-canary-app.cjs), and no form of any canary is in /metrics.

import { randomBytes } from 'node:crypto';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type RegisteredApp, startRegisteredApp } from './support/child-app.js';
import { parseExposition, samplesOf } from './support/exposition.js';

const PLACES = [
  'apiKey',
  'organization',
  'project',
  'userHeader',
  'sessionHeader',
  'requestHeader',
  'systemPrompt',
  'prompt',
  'promptPart',
  'userName',
  'user',
  'metadata',
  'safetyIdentifier',
  'promptCacheKey',
  'stop',
  'toolDescription',
  'toolParameter',
  'toolCallId',
  'toolArguments',
  'toolResult',
  'audioIn',
  'instructions',
  'responsesInput',
  'embeddingInput',
  'speechInput',
  'fileName',
  'transcriptionPrompt',
  'errorMessage',
  'errorCode',
  'errorCause',
  'thrownString',
  'markName',
  'usageKey',
  'endReason',
  'httpPath',
  'httpQuery',
  'httpHeader',
  'httpBody',
] as const;

// `Place-Ab3f…`: a capital, a dash and a dot, so sanitized (`_`) and lowercased forms differ from it.
const canaries = Object.fromEntries(
  PLACES.map((place) => [place, `Cnry-${place}.${randomBytes(8).toString('hex')}`]),
) as Record<(typeof PLACES)[number], string>;

/** Every form a canary could take on the way into a label or a name. */
function formsOf(value: string): string[] {
  const sanitized = value.replace(/[^a-zA-Z0-9_:]/g, '_');
  const hex = value.slice(value.lastIndexOf('.') + 1);
  return [value, value.toLowerCase(), sanitized, sanitized.toLowerCase(), encodeURIComponent(value), hex];
}

describe('the exposition of an app that sends user content everywhere', () => {
  let llm: StartedServer;
  let registered: RegisteredApp;

  beforeAll(async () => {
    llm = await startOpenAICompatibleServer();
    registered = await startRegisteredApp('privacy-canary-app.cjs', {
      OPENAI_BASE_URL: llm.baseURL,
      CANARIES: JSON.stringify(canaries),
    });
  });

  afterAll(async () => {
    await registered?.app.stop('SIGKILL');
    await llm?.close();
  });

  it('holds no form of any canary, and did record every call', async () => {
    const { appUrl, metricsPort } = registered;
    const response = await fetch(
      `${appUrl}/users/${encodeURIComponent(canaries.httpPath)}?q=${encodeURIComponent(canaries.httpQuery)}`,
      { method: 'POST', headers: { 'x-user-id': canaries.httpHeader }, body: canaries.httpBody },
    );
    expect(response.status).toBe(200);
    await response.text();

    const { status, body } = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(status).toBe(200);
    const exposition = body.toLowerCase();
    const found = PLACES.flatMap((place) =>
      formsOf(canaries[place])
        .filter((form) => exposition.includes(form.toLowerCase()))
        .map((form) => `${place}: ${form}`),
    );
    expect(found).toEqual([]);

    // The calls were recorded, so the absence above means something: the exact counts.
    const samples = parseExposition(body);
    const count = (name: string, labels: Record<string, string>): number =>
      samplesOf(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
    const operations = 'voice_agent_gen_ai_client_operation_duration_seconds_count';
    // Chat: the tool call, the streamed answer, the full conversation, the Responses call, the call inside
    // the agent, and the failed one.
    expect(count(operations, { gen_ai_operation_name: 'chat' })).toBe(6);
    expect(count(operations, { gen_ai_operation_name: 'chat', error_type: '429' })).toBe(1);
    for (const operation of ['embeddings', 'speech', 'transcription']) {
      expect(count(operations, { gen_ai_operation_name: operation }), operation).toBe(1);
    }
    const tools = 'voice_agent_gen_ai_execute_tool_duration_seconds_count';
    expect(count(tools, { gen_ai_tool_name: 'lookup_order' })).toBe(4);
    expect(count(tools, { error_type: 'ToolFailure' })).toBe(1);
    expect(count(tools, { error_type: '_OTHER' })).toBe(1);
    expect(count('voice_agent_agent_node_duration_seconds_count', { agent_node_name: 'plan' })).toBe(1);
    // The canary end reason is not a reason: the turn is recorded as completed.
    expect(count('voice_agent_voice_turns_total', { voice_turn_end_reason: 'completed' })).toBe(1);
    expect(count('voice_agent_voice_turns_total', { voice_turn_end_reason: 'interrupted' })).toBe(1);
    expect(count('voice_agent_voice_stt_audio_duration_seconds_total', {})).toBe(1.5);
    const server = samplesOf(samples, 'voice_agent_http_server_request_duration_seconds_count', {
      http_request_method: 'POST',
    });
    expect(server.map((sample) => sample.value)).toEqual([1]);
    // No route is known for a plain node:http app, so none is written: never the path itself.
    expect(server[0]?.labels.http_route).toBeUndefined();
  });
});
