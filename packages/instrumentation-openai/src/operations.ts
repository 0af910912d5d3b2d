/**
 * The `openai` methods we measure, where to find their classes on the exported `OpenAI` class
 * (the same static paths in majors 4 to 7), and what each one reports.
 */
export type OperationName =
  | 'chat'
  | 'text_completion'
  | 'embeddings'
  | 'transcription'
  | 'translation'
  | 'speech';

/** How the parsed result (or each streamed item) carries usage and progress. */
export type ResultShape =
  /** chat.completion / chat.completion.chunk and legacy completions: `choices`, `usage`, `model`. */
  | 'completion'
  /** Responses API: a `response` object, or typed events (`response.output_text.delta` …). */
  | 'response'
  /** embeddings: `usage.prompt_tokens`, no output. */
  | 'embedding'
  /** audio transcription/translation: optional token usage; streamed as `transcript.text.*` events. */
  | 'transcript'
  /** audio speech: a raw binary `Response`; nothing to read. */
  | 'binary';

export interface OperationSpec {
  readonly name: OperationName;
  /** Resource path on a client instance, e.g. `chat.completions`. */
  readonly resourcePath: readonly string[];
  /** Class path on the exported `OpenAI` class, e.g. `Chat.Completions`. */
  readonly classPath: readonly string[];
  readonly shape: ResultShape;
}

export const OPERATIONS: readonly OperationSpec[] = [
  {
    name: 'chat',
    resourcePath: ['chat', 'completions'],
    classPath: ['Chat', 'Completions'],
    shape: 'completion',
  },
  { name: 'chat', resourcePath: ['responses'], classPath: ['Responses'], shape: 'response' },
  { name: 'text_completion', resourcePath: ['completions'], classPath: ['Completions'], shape: 'completion' },
  { name: 'embeddings', resourcePath: ['embeddings'], classPath: ['Embeddings'], shape: 'embedding' },
  {
    name: 'transcription',
    resourcePath: ['audio', 'transcriptions'],
    classPath: ['Audio', 'Transcriptions'],
    shape: 'transcript',
  },
  {
    name: 'translation',
    resourcePath: ['audio', 'translations'],
    classPath: ['Audio', 'Translations'],
    shape: 'transcript',
  },
  { name: 'speech', resourcePath: ['audio', 'speech'], classPath: ['Audio', 'Speech'], shape: 'binary' },
];

const byResourcePath = new Map(OPERATIONS.map((operation) => [operation.resourcePath.join('.'), operation]));

/** The operation whose `create` lives on the resource at this path, if we measure it. */
export function operationAt(resourcePath: string): OperationSpec | undefined {
  return byResourcePath.get(resourcePath);
}
