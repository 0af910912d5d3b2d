// @va/instrumentation-agent's README: an agent invocation with two graph nodes and a tool call.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');

const planner = { next: async () => ({ orderId: 42 }) };
const orders = { find: async (orderId) => ({ orderId, status: 'shipped' }) };
const respond = (order) => `Order ${order.orderId} is ${order.status}.`;

module.exports = async ({ executeTool, invokeAgent, runNode }) => {
  const answer = await invokeAgent('support-agent', async () => {
    const plan = await runNode('plan', () => planner.next({}));
    const order = await executeTool('lookup_order', () => orders.find(plan.orderId));
    return runNode('respond', () => respond(order));
  });
  return { answer, points: await collectPoints() };
};
