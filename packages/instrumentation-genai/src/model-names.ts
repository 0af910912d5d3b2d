/**
 * Model names are kept exactly as sent and as reported: they are what users search for.
 * Normalising is opt-in, for fleets whose dated snapshots would multiply series.
 */

/** Dated snapshot suffixes OpenAI uses: `-2024-08-06` and the older `-0613` / `-1106`. */
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** `gpt-4o-2024-08-06` → `gpt-4o`; `gpt-4-0613` → `gpt-4`; anything else unchanged. */
export function withoutSnapshotSuffix(model: string): string {
  return model.replace(SNAPSHOT_SUFFIX, '');
}

/** True when `model` is `base` or a dated snapshot of it. */
export function isSnapshotOf(model: string, base: string): boolean {
  return (
    model === base ||
    (model.startsWith(base) && SNAPSHOT_SUFFIX.test(model) && withoutSnapshotSuffix(model) === base)
  );
}
