import { diag } from '@opentelemetry/api';
import { INSTRUMENTATION_NAMES, type InstrumentationName } from './instrumentation-catalogue.js';

const logger = diag.createComponentLogger({ namespace: '@va/otel-register' });

function isInstrumentationName(name: string): name is InstrumentationName {
  return (INSTRUMENTATION_NAMES as readonly string[]).includes(name);
}

/**
 * Which instrumentations to load: all, or only the enabled ones, minus the disabled ones.
 * An unknown name is warned about and ignored (the rest of the list still applies).
 * The `@opentelemetry/instrumentation-` prefix is accepted, as people copy full package names.
 */
export function selectInstrumentations(
  enabled: readonly string[] | undefined,
  disabled: readonly string[],
): InstrumentationName[] {
  const known = (names: readonly string[], variable: string): InstrumentationName[] =>
    names
      .map((name) => name.toLowerCase().replace(/^@opentelemetry\/instrumentation-/, ''))
      .filter((name): name is InstrumentationName => {
        if (isInstrumentationName(name)) return true;
        logger.warn(
          `${variable} names an unknown instrumentation "${name}"; ignored. Known: ${INSTRUMENTATION_NAMES.join(', ')}.`,
        );
        return false;
      });
  const selected =
    enabled === undefined ? [...INSTRUMENTATION_NAMES] : known(enabled, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const excluded = new Set(known(disabled, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS'));
  return selected.filter((name) => !excluded.has(name));
}
