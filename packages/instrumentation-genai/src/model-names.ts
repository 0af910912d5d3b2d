/**
 * Model names are kept exactly as sent and as reported: they are what users search for.
 * Normalising is opt-in, for fleets whose dated snapshots would multiply series.
 */

/**
 * Suffixes that name a version of the same model at the same price:
 * - OpenAI's dated snapshots, `-2024-08-06` and the older `-0613` / `-1106`;
 * - Anthropic's, `-20250929`, and Vertex AI's spelling of them, `@20250929`;
 * - Gemini's stable versions, `<model>-<generation>-<variation>-<version>` in Google's naming
 *   (`gemini-2.0-flash-001`, a version of `gemini-2.0-flash`), only after `gemini-` and a generation:
 *   elsewhere a three-digit suffix is part of a model's name (`gemini-embedding-001`, `text-embedding-004`).
 * Gemini previews (`-preview-09-2025`, `-preview-06-17`) are not among them: Google names a preview as a
 * model of its own and lists it on a row of its own, sometimes at its stable model's prices (2.5 Flash-Lite's
 * 09-2025 preview) and with no promise that it stays so, so a preview finds only a price of its own name.
 */
const SNAPSHOT_SUFFIX = /(?:-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})|@\d{8})$/;
const GEMINI_VERSION_SUFFIX = /^(gemini-\d.*)-\d{3}$/;
/** Gemini names take only their own suffix: their preview dates (`-09-2025`) must not read as OpenAI's `-0613`. */
const GEMINI = /^gemini-/;

/**
 * `gpt-4o-2024-08-06` → `gpt-4o`; `gpt-4-0613` → `gpt-4`; `claude-sonnet-4-5-20250929` and
 * `claude-sonnet-4-5@20250929` → `claude-sonnet-4-5`; `gemini-2.0-flash-001` → `gemini-2.0-flash`;
 * anything else unchanged.
 */
export function withoutSnapshotSuffix(model: string): string {
  if (GEMINI.test(model)) return GEMINI_VERSION_SUFFIX.exec(model)?.[1] ?? model;
  return model.replace(SNAPSHOT_SUFFIX, '');
}

/** True when `model` is `base` or a snapshot (a dated or numbered version) of it. */
export function isSnapshotOf(model: string, base: string): boolean {
  return model === base || (model.startsWith(base) && withoutSnapshotSuffix(model) === base);
}
