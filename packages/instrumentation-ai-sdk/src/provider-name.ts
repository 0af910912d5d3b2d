/**
 * `gen_ai.provider.name` for an AI SDK model's `provider` (`openai.chat`, `anthropic.messages`,
 * `google.vertex.chat` …): the GenAI conventions' well-known names where the provider is one, else the
 * provider's first segment (`ollama.chat` → `ollama`). Matched on whole segments: `openai.responses`
 * and `openai-compatible` are both `openai`'s API, `openrouter` is not.
 */
const KNOWN_PROVIDERS: readonly (readonly [prefix: string, name: string])[] = [
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['google.generative-ai', 'gcp.gemini'],
  ['google.vertex', 'gcp.vertex_ai'],
  ['google-vertex', 'gcp.vertex_ai'],
  ['vertex', 'gcp.vertex_ai'],
  ['amazon-bedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'],
  ['azure', 'azure.ai.openai'],
  ['groq', 'groq'],
  ['mistral', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['deepseek', 'deepseek'],
  ['cohere', 'cohere'],
  ['perplexity', 'perplexity'],
];

export function providerNameOf(provider: unknown): string {
  if (typeof provider !== 'string' || provider === '') return '_OTHER';
  const lower = provider.toLowerCase();
  for (const [prefix, name] of KNOWN_PROVIDERS) {
    if (lower === prefix || lower.startsWith(`${prefix}.`) || lower.startsWith(`${prefix}-`)) return name;
  }
  return lower.split('.')[0] ?? lower;
}
