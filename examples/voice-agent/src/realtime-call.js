// Speech-to-speech calls: one Realtime API WebSocket per call (`OpenAIRealtimeWS` from
// `openai/realtime/ws`), the caller's audio streamed in as 20 ms frames, the server's VAD ending
// each utterance, the reply's audio played back as it arrives. The app records no metric here:
// under the register, the openai instrumentation reads the socket's events and records the voice
// turns, their stages, interruptions, tokens by modality, cost, tool calls, errors and rate limits.

const { OpenAIRealtimeWS } = require('openai/realtime/ws');
const { FRAME_MS, realtimeFrame } = require('./audio');
const { integerBetween, sleep } = require('./random');

/** A Realtime turn that failed on the provider's side: a failed response, an `error` event, a lost socket. */
class RealtimeTurnError extends Error {
  constructor(code) {
    super(`the Realtime API ended the turn: ${code}`);
    this.name = 'RealtimeTurnError';
    this.code = code;
  }
}

/**
 * What the bundled server scripts for the first response of the n-th call (cycling), so that every
 * Realtime series shows up in the first calls and again now and then: a tool call, an `error` event
 * instead of a response, a failed response. Barge-ins come from the callers (they speak over the reply).
 */
const FIRST_RESPONSES = ['tool-call', 'error-event', 'response-failed', '', 'tool-call', '', '', ''];

/** The reply's `audio/pcm` output: 24 kHz, 16-bit mono. */
const OUTPUT_BYTES_PER_MS = 48;
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A turn that gets no answer for this long fails, rather than holding the caller forever. */
const TURN_TIMEOUT_MS = 15_000;

/** The bundled server's directives for one call: its first response, and timings close to a hosted model's. */
function scenarioOf(call) {
  return [
    FIRST_RESPONSES[(call - 1) % FIRST_RESPONSES.length],
    `response-ms:${integerBetween(120, 300)}`,
    `first-audio-ms:${integerBetween(150, 450)}`,
    `audio-deltas:${integerBetween(6, 12)}`,
    'audio-delta-ms:40',
    // Long enough that a frame arriving late (a busy event loop) does not split an utterance.
    'silence-ms:300',
  ]
    .filter(Boolean)
    .join(',');
}

/**
 * @param {{ llm: any, tools: any, instructions: string }} options `llm` from startLLM, `tools` from createTools
 */
function createRealtimeCalls({ llm, tools, instructions }) {
  let calls = 0;

  /**
   * Opens a call: resolves once the server has created the session. The session's settings follow
   * on the same socket, ahead of any audio.
   */
  async function open() {
    calls += 1;
    const headers = llm.fake ? { 'x-test-scenario': scenarioOf(calls) } : {};
    const rt = new OpenAIRealtimeWS(
      {
        model: llm.models.realtime,
        // A provider that never completes the handshake fails the call's start instead of holding it.
        options: { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, ...llm.realtime.socketOptions, headers },
      },
      llm.realtime.client,
    );
    /** The turn waiting for events, if any: `{ onEvent(event), fail(error), abandon() }`. */
    let current;
    let closing = false;
    let closed = false;

    const ready = new Promise((resolve, reject) => {
      current = {
        onEvent(event) {
          if (event.type !== 'session.created') return;
          current = undefined;
          resolve();
        },
        fail: reject,
        abandon: () => reject(new RealtimeTurnError('closed')),
      };
    });
    rt.on('event', (event) => current?.onEvent(event));
    // `error` events also arrive through 'event' (a turn handles them there); this listener takes
    // the socket's own failures, and keeps the client from turning either into an unhandled rejection.
    rt.on('error', (error) => {
      if (error.error === undefined) current?.fail(new RealtimeTurnError('connection_error'));
    });
    rt.socket.on('close', () => {
      closed = true;
      if (closing) current?.abandon();
      else current?.fail(new RealtimeTurnError('connection_closed'));
      current = undefined;
    });

    try {
      await ready;
    } catch (error) {
      closing = true;
      rt.close();
      throw error;
    }
    rt.send({
      type: 'session.update',
      session: { type: 'realtime', instructions, tools: tools.realtimeDefinitions(), tool_choice: 'auto' },
    });

    /** Streams `frames` 20 ms frames of the caller's voice, paced as a microphone delivers them. */
    async function speak(frames) {
      for (let index = 0; index < frames && !closed; index++) {
        rt.send({ type: 'input_audio_buffer.append', audio: realtimeFrame() });
        await sleep(FRAME_MS);
      }
    }

    /**
     * Runs a tool the model called; resolves with the output the model reads, a failure included
     * (caught at once: the output may only be asked for once the response is done, or never).
     */
    function runTool(name, argumentsJson) {
      return tools.run(name, argumentsJson).catch(() => JSON.stringify({ error: 'the tool failed' }));
    }

    /** Answers the model's function calls with the tools' outputs, then asks for the spoken reply. */
    async function answerToolCalls(results) {
      const outputs = await Promise.all(
        results.map(async ([callId, output]) => ({
          type: 'function_call_output',
          call_id: callId,
          output: await output,
        })),
      );
      if (closed) return;
      for (const item of outputs) rt.send({ type: 'conversation.item.create', item });
      rt.send({ type: 'response.create' });
    }

    /**
     * One turn: the caller speaks `frames` frames; the turn ends with the reply's `response.done`.
     * With `bargeInAfterWords`, the caller speaks again once that many audio deltas have played:
     * the server's VAD cancels the reply, the app truncates what was not heard, and the answer to
     * the new utterance ends the turn (`interrupted`).
     */
    function takeTurn({ frames, bargeInAfterWords }) {
      if (closed) return Promise.reject(new RealtimeTurnError('connection_closed'));
      return new Promise((resolve, reject) => {
        const turn = {
          speechEndedAt: undefined,
          firstAudioAt: undefined,
          deltas: 0,
          playedBytes: 0,
          audioItem: undefined,
          responding: false,
          bargedIn: false,
          replyText: '',
          toolName: undefined,
          toolResults: new Map(),
        };
        const timer = setTimeout(() => finish(new RealtimeTurnError('timeout')), TURN_TIMEOUT_MS);
        timer.unref();
        function finish(error, result) {
          clearTimeout(timer);
          current = undefined;
          if (error) reject(error);
          else resolve(result);
        }
        function settle() {
          finish(undefined, {
            endReason: turn.bargedIn ? 'interrupted' : 'completed',
            replyText: turn.replyText,
            toolName: turn.toolName,
            audioBytes: turn.playedBytes,
            firstAudioAt: turn.firstAudioAt,
            speechEndedAt: turn.speechEndedAt,
          });
        }
        current = {
          fail: (error) => finish(error),
          abandon: () => finish(undefined, { endReason: 'abandoned', replyText: turn.replyText }),
          onEvent(event) {
            switch (event.type) {
              case 'input_audio_buffer.speech_stopped':
                turn.speechEndedAt ??= performance.now();
                return;
              case 'input_audio_buffer.speech_started':
                // The caller spoke over the reply: stop playing it, and tell the server how much was heard.
                if (turn.bargedIn && turn.audioItem !== undefined) {
                  rt.send({
                    type: 'conversation.item.truncate',
                    item_id: turn.audioItem,
                    content_index: 0,
                    audio_end_ms: Math.floor(turn.playedBytes / OUTPUT_BYTES_PER_MS),
                  });
                  turn.audioItem = undefined;
                }
                return;
              case 'response.created':
                // The turn's reply is its last response's (after a barge-in, the answer to what came next).
                turn.responding = true;
                turn.replyText = '';
                return;
              case 'response.output_audio.delta':
                // "Playback": the audio goes nowhere, each delta is counted as played.
                turn.firstAudioAt ??= performance.now();
                turn.deltas += 1;
                turn.playedBytes += Buffer.byteLength(event.delta, 'base64');
                turn.audioItem = event.item_id;
                if (bargeInAfterWords !== undefined && !turn.bargedIn && turn.deltas >= bargeInAfterWords) {
                  turn.bargedIn = true;
                  speak(integerBetween(8, 15));
                }
                return;
              case 'response.output_audio_transcript.delta':
                turn.replyText += event.delta;
                return;
              case 'response.function_call_arguments.done':
                turn.toolName ??= event.name;
                turn.toolResults.set(event.call_id, runTool(event.name, event.arguments));
                return;
              case 'response.done':
                turn.responding = false;
                return onResponseDone(event.response);
              case 'error':
                // An error while a response runs leaves it running; without one, no reply is coming.
                if (!turn.responding) finish(new RealtimeTurnError(event.error?.code ?? 'error'));
                return;
            }
          },
        };
        function onResponseDone(response) {
          if (response.status === 'failed') {
            return finish(new RealtimeTurnError(response.status_details?.error?.code ?? 'failed'));
          }
          // The reply the caller talked over: the answer to what they said next ends the turn.
          if (response.status === 'cancelled' && turn.bargedIn) return;
          const calls = (response.output ?? []).filter((item) => item.type === 'function_call');
          if (calls.length === 0) return settle();
          // The model called a tool: its result goes back once this response is done (one response
          // runs at a time), and the spoken reply follows.
          answerToolCalls(
            calls.map((call) => [
              call.call_id,
              turn.toolResults.get(call.call_id) ?? runTool(call.name, call.arguments),
            ]),
          );
        }
        speak(frames);
      });
    }

    return {
      takeTurn,
      /** Hangs up: a turn in progress ends `abandoned` (the instrumentation counts it so too). */
      close() {
        closing = true;
        if (!closed) rt.close();
      },
    };
  }

  return { open };
}

module.exports = { createRealtimeCalls, RealtimeTurnError };
