import { diag } from '@opentelemetry/api';

/** Where in the runtime recorder a fault happened, and what was thrown. */
export type ReportFault = (where: string, error: unknown) => void;

const logger = diag.createComponentLogger({ namespace: '@va/otel-register' });

/**
 * A fault of ours is caught where it happens and handed here; it never reaches the application.
 * The first one is logged as an error, the rest at debug level: a callback failing at every
 * collection or every GC would otherwise flood the host's log.
 */
export function createFaultReporter(): ReportFault {
  let reported = false;
  return (where, error) => {
    if (reported) {
      logger.debug(`runtime metrics: ${where} failed again`, error);
      return;
    }
    reported = true;
    logger.error(
      `runtime metrics: ${where} failed; the application goes on, some data may be missing`,
      error,
    );
  };
}
