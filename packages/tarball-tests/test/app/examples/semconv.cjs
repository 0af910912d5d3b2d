// @va/semconv's README: the definitions as data.
'use strict';

module.exports = async ({ HTTP_SERVER_REQUEST_DURATION, prometheusTypeOf }) => ({
  name: HTTP_SERVER_REQUEST_DURATION.name,
  buckets: HTTP_SERVER_REQUEST_DURATION.buckets,
  updowncounter: prometheusTypeOf('updowncounter'),
});
