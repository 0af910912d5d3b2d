// Runs examples/<name>.cjs with the loaded package, prints its result as one JSON line, and leaves
// the process to exit by itself: anything of ours that kept it alive would make the test time out.
'use strict';

function runExample(packageName, loaded) {
  const example = require(`./examples/${packageName.replace('@va/', '')}.cjs`);
  example(loaded).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

module.exports = { runExample };
