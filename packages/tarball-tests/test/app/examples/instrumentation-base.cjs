// @va/instrumentation-base's README: a wrapper of ours on a method, and version ranges where a
// prerelease counts as its release.
'use strict';

module.exports = async ({ isWrappedByVa, unwrapMethod, versionInRange, wrapMethod }) => {
  const client = { greet: (name) => `hello ${name}` };
  wrapMethod(
    client,
    'greet',
    (original) =>
      function (...args) {
        return original.apply(this, args).toUpperCase();
      },
  );
  const wrapped = { greeting: client.greet('ada'), marked: isWrappedByVa(client.greet) };
  unwrapMethod(client, 'greet');
  return {
    wrapped,
    unwrapped: client.greet('ada'),
    inRange: ['4.104.0', '5.0.0-beta.1'].map((version) =>
      versionInRange(version, { minimum: '4.0.0', below: '5.0.0' }),
    ),
  };
};
