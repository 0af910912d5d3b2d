// The gen_ai series on /metrics that the register's LLM-client tests read, as Prometheus names them.
export const DURATION_COUNT = 'voice_agent_gen_ai_client_operation_duration_seconds_count';
export const TOKENS_SUM = 'voice_agent_gen_ai_client_token_usage_sum';
export const TTFC_COUNT = 'voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds_count';
export const TTFC_SUM = 'voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds_sum';
export const CACHE_READ = 'voice_agent_gen_ai_client_inference_usage_cache_read_input_tokens_total';
export const COST = 'voice_agent_gen_ai_client_cost_usd_total';
