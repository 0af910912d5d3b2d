// `node load.mjs <package>`: the same as load.cjs, through the package's ES module entry (import).
import { runExample } from './run-example.cjs';

runExample(process.argv[2], await import(process.argv[2]));
