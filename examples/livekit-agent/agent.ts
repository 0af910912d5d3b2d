// A LiveKit voice agent with no metrics code: the register (`node --import @va/otel-register`)
// measures every AgentSession it starts. See README.md.
import { fileURLToPath } from 'node:url';
import { cli, defineAgent, inference, type JobContext, llm, ServerOptions, voice } from '@livekit/agents';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as elevenlabs from '@livekit/agents-plugin-elevenlabs';
import * as openai from '@livekit/agents-plugin-openai';
import { z } from 'zod';

const lookupOrder = llm.tool({
  description: 'Look up the delivery status of an order by its number.',
  parameters: z.object({ orderNumber: z.string().describe('The order number, as the caller says it') }),
  execute: async ({ orderNumber }) => ({ orderNumber, status: 'shipped', expectedDelivery: 'tomorrow' }),
});

class SupportAgent extends voice.Agent {
  constructor() {
    super({
      instructions:
        'You are a friendly voice assistant for an online shop. Answer in one or two short sentences. ' +
        'When the caller asks about an order, look it up.',
      tools: { lookupOrder },
    });
  }
}

export default defineAgent({
  entry: async (ctx: JobContext) => {
    const session = new voice.AgentSession({
      vad: new inference.VAD({ model: 'silero' }),
      stt: new deepgram.STT({ model: 'nova-3' }),
      llm: new openai.LLM({ model: 'gpt-4o-mini' }),
      tts: new elevenlabs.TTS(),
    });
    await session.start({ agent: new SupportAgent(), room: ctx.room });
    await ctx.connect();
    session.generateReply({ instructions: 'Greet the caller and offer your help.' });
  },
});

cli.runApp(new ServerOptions({ agent: fileURLToPath(import.meta.url) }));
