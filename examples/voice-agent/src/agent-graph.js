// One voice turn as an agent graph: stt → llm (→ tools → llm) → tts. invokeAgent() and runNode()
// time the whole and each node; the voice turn gets the marks between which its stages run.

const { invokeAgent, runNode } = require('@va/instrumentation-agent');
const { toFile } = require('openai');
const { audioSeconds, spokenSeconds } = require('./audio');
const { between, integerBetween, sleep } = require('./random');

const AGENT_NAME = 'voice-agent';

const SYSTEM_PROMPT =
  'You are the voice assistant of a small headset shop. Answer in one or two short sentences that ' +
  'sound natural when spoken. Use lookup_order for questions about orders and check_weather for ' +
  'weather questions; never read out raw data.';

/** Which tool the caller most likely needs, from their words: it goes first in the tool list. */
function intentOf(text) {
  if (/\b(order|package|parcel|deliver\w*|ship\w*)\b/i.test(text)) return 'order';
  if (/\b(weather|rain\w*|forecast|temperature|sunny|umbrella)\b/i.test(text)) return 'weather';
  return 'chat';
}

function createVoiceAgent({ llm, store, tools }) {
  const { client, models } = llm;
  let transcriptions = 0;

  async function transcribe(audio, turn) {
    const model = models.transcription[transcriptions++ % models.transcription.length];
    const file = await toFile(audio, 'utterance.wav', { type: 'audio/wav' });
    const transcription = await client.audio.transcriptions.create({ file, model });
    turn.mark('stt_final');
    turn.addUsage({ sttAudioSeconds: audioSeconds(audio.length) });
    return transcription.text;
  }

  /**
   * One streamed chat call. Collects the text and any tool calls; the first chunk is the
   * `llm_first_token` mark (later calls of the same turn do not move it). A barge-in while the
   * reply streams leaves the loop early, which the openai instrumentation records as canceled.
   */
  async function streamChat(request, turn, bargeInAfterWords) {
    const stream = await client.chat.completions.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      llm.chatOptions(),
    );
    const reply = { text: '', toolCalls: [], inputTokens: 0, outputTokens: 0, interrupted: false };
    let words = 0;
    for await (const chunk of stream) {
      if (chunk.usage) {
        reply.inputTokens += chunk.usage.prompt_tokens ?? 0;
        reply.outputTokens += chunk.usage.completion_tokens ?? 0;
      }
      const choice = chunk.choices[0];
      if (!choice) continue;
      turn.mark('llm_first_token');
      const { content, tool_calls: toolCallDeltas } = choice.delta ?? {};
      if (content) {
        reply.text += content;
        words += 1;
        if (bargeInAfterWords !== undefined && words >= bargeInAfterWords && !choice.finish_reason) {
          turn.interrupted();
          reply.interrupted = true;
          break;
        }
      }
      for (const delta of toolCallDeltas ?? []) {
        reply.toolCalls[delta.index] ??= { id: '', name: '', arguments: '' };
        const call = reply.toolCalls[delta.index];
        call.id += delta.id ?? '';
        call.name += delta.function?.name ?? '';
        call.arguments += delta.function?.arguments ?? '';
      }
    }
    reply.toolCalls = reply.toolCalls.filter(Boolean);
    return reply;
  }

  /**
   * One streamed Claude call (`@anthropic-ai/sdk`), read like streamChat(): the text deltas, the first
   * one the `llm_first_token` mark, a barge-in leaving the loop early (recorded as canceled). Anthropic
   * reports the input on `message_start` (cache reads and writes apart) and the output on `message_delta`.
   */
  async function streamClaude({ system, messages, maxTokens }, turn, bargeInAfterWords) {
    const stream = await llm.claude.messages.create(
      { model: models.claude, system, messages, max_tokens: maxTokens, stream: true },
      llm.claudeOptions(),
    );
    const reply = { text: '', toolCalls: [], inputTokens: 0, outputTokens: 0, interrupted: false };
    let words = 0;
    for await (const event of stream) {
      if (event.type === 'message_start') {
        const { usage } = event.message;
        reply.inputTokens =
          usage.input_tokens +
          (usage.cache_read_input_tokens ?? 0) +
          (usage.cache_creation_input_tokens ?? 0);
      } else if (event.type === 'message_delta') {
        reply.outputTokens = event.usage.output_tokens;
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        turn.mark('llm_first_token');
        reply.text += event.delta.text;
        words += 1;
        if (bargeInAfterWords !== undefined && words >= bargeInAfterWords) {
          turn.interrupted();
          reply.interrupted = true;
          break;
        }
      }
    }
    return reply;
  }

  let smallTalkTurns = 0;
  /** Every other small-talk turn (no tool to call) goes to Claude, when the demo has a Claude client. */
  function answersWithClaude(userText) {
    if (llm.claude === undefined || intentOf(userText) !== 'chat') return false;
    smallTalkTurns += 1;
    return smallTalkTurns % 2 === 1;
  }

  async function think({ sessionId, userText, turn, bargeInAfterWords }) {
    const history = await store.recentTurns(sessionId);
    if (answersWithClaude(userText)) {
      const conversation = [];
      for (const past of history) {
        conversation.push({ role: 'user', content: past.user_text || '…' });
        conversation.push({ role: 'assistant', content: past.reply_text || '…' });
      }
      conversation.push({ role: 'user', content: userText || '…' });
      const reply = await streamClaude(
        { system: SYSTEM_PROMPT, messages: conversation, maxTokens: integerBetween(12, 30) },
        turn,
        bargeInAfterWords,
      );
      return { ...reply, toolName: undefined };
    }
    const messages = [{ role: 'system', content: SYSTEM_PROMPT }];
    for (const past of history) {
      messages.push({ role: 'user', content: past.user_text ?? '' });
      messages.push({ role: 'assistant', content: past.reply_text ?? '' });
    }
    messages.push({ role: 'user', content: userText });
    const request = {
      model: models.chat,
      messages,
      tools: tools.definitionsFor(intentOf(userText)),
      // Short spoken answers; the fake server answers with exactly this many words.
      max_completion_tokens: integerBetween(12, 30),
    };

    const first = await streamChat(request, turn, bargeInAfterWords);
    if (first.interrupted || first.toolCalls.length === 0) return { ...first, toolName: undefined };

    const results = await Promise.all(first.toolCalls.map((call) => tools.call(call.name, call.arguments)));
    const followUp = await streamChat(
      {
        ...request,
        messages: [
          ...messages,
          {
            role: 'assistant',
            content: null,
            tool_calls: first.toolCalls.map((call) => ({
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          },
          ...first.toolCalls.map((call, index) => ({
            role: 'tool',
            tool_call_id: call.id,
            content: results[index],
          })),
        ],
        // One tool round per turn: the caller is waiting.
        tool_choice: 'none',
      },
      turn,
      bargeInAfterWords,
    );
    return {
      ...followUp,
      inputTokens: first.inputTokens + followUp.inputTokens,
      outputTokens: first.outputTokens + followUp.outputTokens,
      toolName: first.toolCalls[0].name,
    };
  }

  async function speak(text, turn) {
    const response = await client.audio.speech.create({
      model: models.speech,
      voice: 'alloy',
      input: text,
      // Raw PCM, so the seconds spoken follow from the bytes (a real app would play them).
      response_format: 'pcm',
    });
    let bytes = 0;
    let firstAudioAt;
    for await (const chunk of response.body) {
      if (bytes === 0) {
        turn.mark('tts_first_byte');
        // Jitter buffer and packetization before the first frame reaches the caller.
        await sleep(between(10, 40));
        firstAudioAt = performance.now();
        turn.mark('first_audio_out', firstAudioAt);
      }
      bytes += chunk.length;
    }
    turn.addUsage({ ttsCharacters: text.length, ttsAudioSeconds: spokenSeconds(bytes) });
    return { bytes, firstAudioAt };
  }

  /**
   * Runs one turn. `text` is what the simulated caller said: the fake STT always hears the same
   * sentence, so the traffic generator sends its script along and the agent answers that; the
   * STT call still runs for its latency, usage and cost. Without `text`, the transcript is used.
   */
  async function runTurn({ sessionId, turn, audio, text, bargeInAfterWords }) {
    return invokeAgent(AGENT_NAME, async () => {
      const heard = audio ? await runNode('stt', () => transcribe(audio, turn)) : undefined;
      const userText = text || heard || '';
      const reply = await runNode('llm', () => think({ sessionId, userText, turn, bargeInAfterWords }));
      turn.addUsage({ inputTokens: reply.inputTokens, outputTokens: reply.outputTokens });
      const result = {
        userText,
        replyText: reply.text,
        toolName: reply.toolName,
        interrupted: reply.interrupted,
      };
      if (reply.interrupted) return { ...result, audioBytes: 0 };
      const spoken = reply.text.trim() || 'Sorry, could you say that again?';
      const audioOut = await runNode('tts', () => speak(spoken, turn));
      return { ...result, audioBytes: audioOut.bytes, firstAudioAt: audioOut.firstAudioAt };
    });
  }

  return { runTurn };
}

module.exports = { createVoiceAgent, AGENT_NAME, SYSTEM_PROMPT };
