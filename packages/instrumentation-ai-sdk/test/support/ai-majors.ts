// The real `ai` majors under test, each with the @ai-sdk/openai and @ai-sdk/anthropic majors made for
// it (devDependencies under npm aliases). ai 7 is ESM-only and needs Node 22.

/** The parts of an `ai` module the tests call. */
export interface AIModule {
  generateText(
    options: Record<string, unknown>,
  ): Promise<{ text: string; usage: unknown; steps?: unknown[] }>;
  streamText(options: Record<string, unknown>): {
    textStream: AsyncIterable<string>;
    usage: Promise<unknown>;
  };
  generateObject(options: Record<string, unknown>): Promise<{ object: unknown }>;
  streamObject(options: Record<string, unknown>): {
    partialObjectStream: AsyncIterable<unknown>;
    object: Promise<unknown>;
  };
  embed(options: Record<string, unknown>): Promise<{ embedding: number[] }>;
  embedMany(options: Record<string, unknown>): Promise<{ embeddings: number[][] }>;
  tool(options: Record<string, unknown>): unknown;
  jsonSchema(schema: Record<string, unknown>): unknown;
}

type Model = Record<string, unknown>;

export interface Major {
  readonly major: number;
  readonly ai: AIModule;
  openai(baseURL: string): { chat(id: string): Model; embedding(id: string): Model };
  anthropic(baseURL: string): (id: string) => Model;
}

export const MAJORS = [4, 5, 6, 7] as const;
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Whether this Node runs the major (ai 7 needs Node 22). */
export function runsOn(major: number): boolean {
  return major < 7 || NODE_MAJOR >= 22;
}

const PROVIDER_MAJOR: Record<number, number> = { 4: 1, 5: 2, 6: 3, 7: 4 };

export async function loadMajor(major: number): Promise<Major> {
  const providers = PROVIDER_MAJOR[major];
  const ai = (await import(`ai-${major}`)) as AIModule;
  const { createOpenAI } = (await import(`ai-sdk-openai-${providers}`)) as {
    createOpenAI(options: Record<string, unknown>): { chat(id: string): Model; embedding(id: string): Model };
  };
  const { createAnthropic } = (await import(`ai-sdk-anthropic-${providers}`)) as {
    createAnthropic(options: Record<string, unknown>): (id: string) => Model;
  };
  return {
    major,
    ai,
    openai: (baseURL) => createOpenAI({ apiKey: 'test', baseURL }),
    // The provider puts `/messages` after its base URL, Anthropic's own being https://api.anthropic.com/v1.
    anthropic: (baseURL) => createAnthropic({ apiKey: 'test', baseURL: `${baseURL}/v1` }),
  };
}
