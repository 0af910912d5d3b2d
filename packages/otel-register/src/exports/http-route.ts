// `@va/otel-register/http-route`: naming a request's route template, without the side effect of the main
// entry (it registers nothing). The server path's own use of the route record stays inside.
export { setHttpRoute } from '../http-server/http-route.js';
