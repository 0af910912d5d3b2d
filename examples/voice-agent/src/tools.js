// The agent's tools: their JSON schemas for the LLM, and what runs when the LLM calls one.
// Every call goes through executeTool(), which records gen_ai.execute_tool.duration by tool name.

const { executeTool } = require('@va/instrumentation-agent');
const { between } = require('./random');

/** A tool that did not answer within its budget; its class name becomes error.type. */
class ToolTimeoutError extends Error {
  constructor(toolName, budgetMs) {
    super(`${toolName} did not answer within ${budgetMs} ms`);
    this.name = 'ToolTimeoutError';
  }
}

class UnknownToolError extends Error {
  constructor(toolName) {
    super(`the model asked for an unknown tool: ${toolName}`);
    this.name = 'UnknownToolError';
  }
}

/** A voice agent cannot keep the caller waiting on a tool: past this, the turn fails. */
const TOOL_BUDGET_MS = 300;

function withTimeout(promise, toolName) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ToolTimeoutError(toolName, TOOL_BUDGET_MS)), TOOL_BUDGET_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function createTools(store) {
  const definitions = {
    lookup_order: {
      type: 'function',
      function: {
        name: 'lookup_order',
        description: "Look up the status and delivery date of one of the caller's orders.",
        parameters: {
          type: 'object',
          properties: { order_id: { type: 'integer', description: 'The order number the caller gave.' } },
          required: ['order_id'],
        },
      },
    },
    check_weather: {
      type: 'function',
      function: {
        name: 'check_weather',
        description: "Tomorrow's weather forecast for a city.",
        parameters: {
          type: 'object',
          properties: { city: { type: 'string', enum: store.cities } },
          required: ['city'],
        },
      },
    },
  };

  let weatherLookups = 0;
  const implementations = {
    async lookup_order({ order_id: orderId }) {
      const order = Number.isInteger(orderId) ? await store.findOrder(orderId) : undefined;
      return order ?? { error: 'no such order' };
    },
    async check_weather({ city }) {
      // The weather source is usually quick and now and then very slow: every twelfth lookup
      // (the first one included, so it shows early) blows the tool budget, which shows up as
      // error.type="ToolTimeoutError" on the tool, the llm node and the turn (HTTP 504).
      weatherLookups += 1;
      const upstreamSeconds = weatherLookups % 12 === 1 ? between(0.4, 0.6) : between(0.005, 0.06);
      const forecast = await store.findForecast(city, upstreamSeconds);
      return forecast
        ? { city, summary: forecast.summary, temperature_c: forecast.temperature_c }
        : { error: 'unknown city' };
    },
  };

  /** Runs the tool the model asked for; its result is the JSON the model reads. Unmeasured by itself. */
  async function run(toolName, argumentsJson) {
    if (!Object.hasOwn(implementations, toolName)) throw new UnknownToolError(toolName);
    let args;
    try {
      args = JSON.parse(argumentsJson || '{}');
    } catch {
      return JSON.stringify({ error: 'arguments are not valid JSON' });
    }
    return JSON.stringify(await withTimeout(implementations[toolName](args), toolName));
  }

  return {
    /** The tool list for a chat request, the most likely tool first. */
    definitionsFor(intent) {
      if (intent === 'order') return [definitions.lookup_order, definitions.check_weather];
      if (intent === 'weather') return [definitions.check_weather, definitions.lookup_order];
      return undefined;
    },

    /**
     * The tools of a speech-to-speech call, in the Realtime API's flat shape. lookup_order goes first:
     * the bundled server's scripted tool call takes the first tool, and the slow first weather lookup
     * stays with the pipeline's turns, where it shows as ToolTimeoutError early in every run.
     */
    realtimeDefinitions() {
      return [definitions.lookup_order, definitions.check_weather].map(({ function: tool }) => ({
        type: 'function',
        ...tool,
      }));
    },

    /** Runs the tool the LLM asked for, measured, and returns its result as the JSON the LLM reads. */
    call(toolName, argumentsJson) {
      // The name comes from the model: only names we offered may become a label.
      const known = Object.hasOwn(implementations, toolName);
      return executeTool(known ? toolName : '_OTHER', () => run(toolName, argumentsJson));
    },

    /**
     * The same, unmeasured: for a Realtime call, whose tool calls the openai instrumentation times
     * itself (from the model's arguments to the app's function_call_output), so executeTool() around
     * it would count each call twice.
     */
    run,
  };
}

module.exports = { createTools, ToolTimeoutError };
