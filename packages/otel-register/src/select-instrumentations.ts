import { diag } from '@opentelemetry/api';
import { INSTRUMENTATION_NAMES, type InstrumentationName } from './instrumentation-catalogue.js';

const logger = diag.createComponentLogger({ namespace: '@va/otel-register' });

function isInstrumentationName(name: string): name is InstrumentationName {
  return (INSTRUMENTATION_NAMES as readonly string[]).includes(name);
}

/**
 * Which instrumentations to load: all, or only the enabled ones, minus the disabled ones.
 * An unknown name is warned about and ignored (the rest of the list still applies). An enabled list that
 * names no instrumentation we know is a bad value: the default, all, applies, as for any variable — not an
 * app without metrics.
 * The `@opentelemetry/instrumentation-` prefix is accepted, as people copy full package names.
 */
export function selectInstrumentations(
  enabled: readonly string[] | undefined,
  disabled: readonly string[],
): InstrumentationName[] {
  const known = (names: readonly string[], variable: string, ifNoneKnown: string): InstrumentationName[] => {
    const normalized = names.map((name) =>
      name.toLowerCase().replace(/^@opentelemetry\/instrumentation-/, ''),
    );
    const consequence = normalized.some(isInstrumentationName) ? 'ignored' : ifNoneKnown;
    return normalized.filter((name): name is InstrumentationName => {
      if (isInstrumentationName(name)) return true;
      logger.warn(
        `${variable} names an unknown instrumentation "${name}"; ${consequence}. Known: ${INSTRUMENTATION_NAMES.join(', ')}.`,
      );
      return false;
    });
  };
  const knownEnabled =
    enabled === undefined
      ? []
      : known(enabled, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS', 'using the default, all instrumentations');
  const selected = knownEnabled.length === 0 ? [...INSTRUMENTATION_NAMES] : knownEnabled;
  const excluded = new Set(known(disabled, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', 'ignored'));
  return selected.filter((name) => !excluded.has(name));
}
