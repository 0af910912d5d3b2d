/**
 * `gen_ai.provider.name` from a LiveKit metric's `metadata.modelProvider` and its plugin's `label`.
 * Plugins report a name (`deepgram`), except the OpenAI plugin, which reports its base URL's host:
 * `api.openai.com` is `openai`; another host is an OpenAI-compatible server reached through the plugin,
 * named after the plugin as @va/instrumentation-openai names an unknown host behind the `openai` client.
 */
export function providerNameOf(modelProvider: unknown, label: unknown): string {
  const plugin =
    typeof label === 'string' && label.includes('.') ? label.slice(0, label.indexOf('.')) : undefined;
  if (typeof modelProvider !== 'string' || modelProvider.length === 0) return plugin ?? 'unknown';
  if (!/[.:]/.test(modelProvider)) return modelProvider.toLowerCase();
  if (modelProvider === 'api.openai.com') return 'openai';
  return plugin ?? 'unknown';
}
