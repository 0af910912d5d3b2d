// `node load.cjs <package>`: loads the package through its CommonJS entry (require), runs the
// example of its README (examples/<name>.cjs) with it and prints what the example returns as JSON.
'use strict';
const { runExample } = require('./run-example.cjs');

runExample(process.argv[2], require(process.argv[2]));
