// `npm run docs`: rewrites the generated docs in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigurationDoc, renderMetricsDoc } from './render-docs.mjs';

const metricsPath = new URL('../metrics.md', import.meta.url);
const configurationPath = new URL('../configuration.md', import.meta.url);
writeFileSync(metricsPath, renderMetricsDoc());
writeFileSync(configurationPath, renderConfigurationDoc(readFileSync(configurationPath, 'utf8')));
console.log('wrote docs/metrics.md and docs/configuration.md');
