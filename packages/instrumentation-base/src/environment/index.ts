// `@va/instrumentation-base/environment`: environment variables as typed descriptors, their parsers and
// reader. Nothing here loads the module hooks of the main entry, so the SDK can read its variables
// without them.
export type { Environment, EnvironmentVariable, EnvironmentVariableList } from './environment-variable.js';
export {
  parseBoolean,
  parseChoice,
  parseChoiceList,
  parseHost,
  parseHttpUrl,
  parseIntegerInRange,
  parseKeyValueList,
  parseMetricPrefix,
  parseNameList,
  parseNonEmptyString,
} from './parsers.js';
export { type ReadVariable, variableReader } from './read-variable.js';
