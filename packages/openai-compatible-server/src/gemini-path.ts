/**
 * The paths the `@google/genai` client posts to, on the Gemini API and on Vertex AI:
 * `/{apiVersion}/models/{model}:{method}` (Gemini API), `/{apiVersion}/publishers/google/models/…`
 * (Vertex AI with an API key, "express mode") and
 * `/{apiVersion}/projects/{project}/locations/{location}/publishers/google/models/…` (Vertex AI
 * with a project). The model may carry `@directives`, as every other model name here can.
 */

export const GEMINI_METHODS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
  'predict',
] as const;

export type GeminiMethod = (typeof GEMINI_METHODS)[number];

export interface GeminiPath {
  apiVersion: string;
  /** True for the Vertex AI forms (`publishers/google/…`, with or without `projects/…`). */
  vertex: boolean;
  /** The model as it appears in the path, `@directives` included. */
  model: string;
  method: GeminiMethod;
}

const PATH = new RegExp(
  `^/(v1(?:alpha|beta)?\\d*)/(?:(projects/[^/]+/locations/[^/]+/)?(publishers/google/))?models/([^/]+):(${GEMINI_METHODS.join('|')})$`,
);

/** The parts of a Gemini or Vertex AI path, or undefined for any other path. */
export function parseGeminiPath(path: string): GeminiPath | undefined {
  const match = PATH.exec(path);
  if (match === null) return undefined;
  return {
    apiVersion: match[1]!,
    vertex: match[3] !== undefined,
    model: decodeURIComponent(match[4]!),
    method: match[5] as GeminiMethod,
  };
}
