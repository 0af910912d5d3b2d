// The reference OpenMetrics parser, Python's prometheus_client (Debian `python3-prometheus-client`), on
// expositions of ours: each one parsed whole, as a scraper using it would.

import { spawnSync } from 'node:child_process';

/** One sample as the parser reads it; the value as Python writes it (`1.0`, `nan`, `inf`). */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: string;
}

export interface ParsedFamily {
  name: string;
  type: string;
  unit: string;
  help: string;
  samples: ParsedSample[];
}

/** An exposition's families, or the parser's error. */
export type ParseResult = { families: ParsedFamily[] } | { error: string };

const SCRIPT = `
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
results = []
for document in json.loads(sys.stdin.buffer.read().decode('utf-8')):
    try:
        families = []
        for family in text_string_to_metric_families(document):
            families.append({
                'name': family.name, 'type': family.type, 'unit': family.unit, 'help': family.documentation,
                'samples': [{'name': s.name, 'labels': s.labels, 'value': repr(float(s.value))}
                            for s in family.samples],
            })
        results.append({'families': families})
    except Exception as error:
        results.append({'error': type(error).__name__ + ': ' + str(error)})
json.dump(results, sys.stdout)
`;

/** A Python that imports prometheus_client (Debian's, when another python3 comes first on PATH). */
export function findOpenMetricsParser(): string | undefined {
  for (const python of [process.env.VA_PYTHON, '/usr/bin/python3', 'python3']) {
    if (python === undefined || python === '') continue;
    const result = spawnSync(python, ['-c', 'import prometheus_client.openmetrics.parser'], {
      stdio: 'ignore',
      timeout: 20_000,
    });
    if (result.status === 0) return python;
  }
  return undefined;
}

/**
 * Parses each exposition with prometheus_client, in one Python process. Each goes as a scraper reads it:
 * UTF-8, so a lone surrogate of a JavaScript string arrives as U+FFFD.
 */
export function parseOpenMetrics(python: string, expositions: readonly string[]): ParseResult[] {
  const asRead = expositions.map((exposition) => Buffer.from(exposition, 'utf8').toString('utf8'));
  const result = spawnSync(python, ['-c', SCRIPT], {
    input: JSON.stringify(asRead),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ParseResult[];
}
