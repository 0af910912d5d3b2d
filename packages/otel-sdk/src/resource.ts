import type { Attributes } from '@opentelemetry/api';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';

/**
 * The resource every metric is reported with (Prometheus: the `target_info` labels), in rising
 * precedence: the SDK defaults (`telemetry.sdk.*`, `service.name=unknown_service:node`),
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, then what the code passes.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function buildResource(input: {
  environmentAttributes: Readonly<Record<string, string>>;
  environmentServiceName: string | undefined;
  attributes?: Attributes;
  serviceName?: string;
}): Resource {
  let resource = defaultResource().merge(resourceFromAttributes({ ...input.environmentAttributes }));
  if (input.environmentServiceName !== undefined) {
    resource = resource.merge(resourceFromAttributes({ 'service.name': input.environmentServiceName }));
  }
  if (input.attributes !== undefined) resource = resource.merge(resourceFromAttributes(input.attributes));
  if (input.serviceName !== undefined) {
    resource = resource.merge(resourceFromAttributes({ 'service.name': input.serviceName }));
  }
  return resource;
}
