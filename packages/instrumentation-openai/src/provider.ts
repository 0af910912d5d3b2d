import { serverEndpointOf } from '@va/instrumentation-genai';

/**
 * Where a client sends its calls: `gen_ai.provider.name`, `server.address` and `server.port`,
 * derived from its `baseURL` once per client (and again only if the URL changes).
 */
export interface Endpoint {
  readonly providerName: string;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
}

/** Hosts of OpenAI-compatible APIs whose provider has a well-known name in the GenAI conventions. */
const WELL_KNOWN_HOSTS: ReadonlyArray<readonly [suffix: string, provider: string]> = [
  ['api.openai.com', 'openai'],
  ['.openai.azure.com', 'azure.ai.openai'],
  ['.cognitiveservices.azure.com', 'azure.ai.openai'],
  ['api.groq.com', 'groq'],
  ['api.deepseek.com', 'deepseek'],
  ['api.mistral.ai', 'mistral_ai'],
  ['api.x.ai', 'x_ai'],
  ['api.perplexity.ai', 'perplexity'],
  ['api.moonshot.ai', 'moonshot_ai'],
  ['generativelanguage.googleapis.com', 'gcp.gemini'],
  ['aiplatform.googleapis.com', 'gcp.vertex_ai'],
];

function providerOfHost(host: string): string | undefined {
  for (const [suffix, provider] of WELL_KNOWN_HOSTS) {
    if (suffix.startsWith('.') ? host.endsWith(suffix) : host === suffix) return provider;
  }
  return undefined;
}

/** Reads the endpoint of an HTTP or WebSocket URL; `isAzureClient` covers Azure clients on custom domains. */
export function endpointOf(baseURL: unknown, isAzureClient: boolean): Endpoint {
  const server = serverEndpointOf(baseURL);
  if (server === undefined) {
    return {
      providerName: isAzureClient ? 'azure.ai.openai' : 'openai',
      serverAddress: undefined,
      serverPort: undefined,
    };
  }
  const providerName = isAzureClient
    ? 'azure.ai.openai'
    : (providerOfHost(server.serverAddress) ?? server.serverAddress);
  return { providerName, serverAddress: server.serverAddress, serverPort: server.serverPort };
}

interface CachedEndpoint {
  readonly baseURL: unknown;
  readonly endpoint: Endpoint;
}

const cache = new WeakMap<object, CachedEndpoint>();

/** The endpoint of an `openai` client instance (anything with a `baseURL`). */
export function endpointOfClient(client: unknown): Endpoint {
  if (client === null || typeof client !== 'object') return endpointOf(undefined, false);
  const baseURL = (client as { baseURL?: unknown }).baseURL;
  const cached = cache.get(client);
  if (cached !== undefined && cached.baseURL === baseURL) return cached.endpoint;
  const isAzure = (client as object).constructor?.name === 'AzureOpenAI';
  const endpoint = endpointOf(baseURL, isAzure);
  cache.set(client, { baseURL, endpoint });
  return endpoint;
}
