// The tables and every query of the demo. Statements run one at a time (never several in one
// string), so each shows up on its own in db.client.operation.duration with its operation name.

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS sessions (
     id uuid PRIMARY KEY,
     started_at timestamptz NOT NULL DEFAULT now(),
     ended_at timestamptz,
     turn_count integer NOT NULL DEFAULT 0,
     context_embedding real[],
     summary text
   )`,
  `CREATE TABLE IF NOT EXISTS turns (
     id bigserial PRIMARY KEY,
     session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
     turn_index integer NOT NULL,
     user_text text,
     reply_text text,
     tool_name text,
     end_reason text NOT NULL,
     latency_ms real,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (session_id, turn_index)
   )`,
  `CREATE TABLE IF NOT EXISTS orders (
     id integer PRIMARY KEY,
     customer text NOT NULL,
     item text NOT NULL,
     status text NOT NULL,
     eta date
   )`,
  // check_weather's data source. A real agent would call a weather API; a table keeps the demo
  // self-contained while the tool still does real I/O.
  `CREATE TABLE IF NOT EXISTS forecasts (
     city text PRIMARY KEY,
     summary text NOT NULL,
     temperature_c real NOT NULL
   )`,
];

const ORDERS = [
  [1, 'Ada', 'noise-cancelling headset', 'shipped', 2],
  [2, 'Grace', 'conference speakerphone', 'processing', 5],
  [3, 'Linus', 'USB microphone', 'delivered', null],
  [4, 'Margaret', 'replacement ear cushions', 'shipped', 1],
  [5, 'Alan', 'desk microphone arm', 'cancelled', null],
  [6, 'Barbara', 'headset charging stand', 'processing', 7],
];

const FORECASTS = [
  ['Berlin', 'light rain, clearing in the evening', 14],
  ['Paris', 'sunny spells', 19],
  ['Lisbon', 'clear skies', 24],
  ['Tokyo', 'humid with afternoon showers', 27],
];

function createStore(pool) {
  return {
    /** Creates the tables and seeds the reference data; safe to run against an existing database. */
    async migrate() {
      for (const statement of SCHEMA) await pool.query(statement);
      for (const [id, customer, item, status, etaDays] of ORDERS) {
        await pool.query(
          `INSERT INTO orders (id, customer, item, status, eta)
           VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE current_date + $5::int END)
           ON CONFLICT (id) DO NOTHING`,
          [id, customer, item, status, etaDays],
        );
      }
      for (const [city, summary, temperature] of FORECASTS) {
        await pool.query(
          'INSERT INTO forecasts (city, summary, temperature_c) VALUES ($1, $2, $3) ON CONFLICT (city) DO NOTHING',
          [city, summary, temperature],
        );
      }
    },

    cities: FORECASTS.map(([city]) => city),

    async insertSession(id, contextEmbedding) {
      await pool.query('INSERT INTO sessions (id, context_embedding) VALUES ($1, $2)', [
        id,
        contextEmbedding,
      ]);
    },

    async endSession(id, { turnCount, summary }) {
      await pool.query('UPDATE sessions SET ended_at = now(), turn_count = $2, summary = $3 WHERE id = $1', [
        id,
        turnCount,
        summary ?? null,
      ]);
    },

    /** The last exchanges of a session, oldest first: the conversation the LLM is given. */
    async recentTurns(sessionId, limit = 3) {
      const { rows } = await pool.query(
        `SELECT user_text, reply_text FROM turns
         WHERE session_id = $1 AND end_reason = 'completed'
         ORDER BY turn_index DESC LIMIT $2`,
        [sessionId, limit],
      );
      return rows.reverse();
    },

    async insertTurn(turn) {
      await pool.query(
        `INSERT INTO turns (session_id, turn_index, user_text, reply_text, tool_name, end_reason, latency_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          turn.sessionId,
          turn.index,
          turn.userText ?? null,
          turn.replyText ?? null,
          turn.toolName ?? null,
          turn.endReason,
          turn.latencyMs ?? null,
        ],
      );
    },

    async findOrder(orderId) {
      const { rows } = await pool.query(
        'SELECT id, item, status, to_char(eta, $2) AS eta FROM orders WHERE id = $1',
        [orderId, 'YYYY-MM-DD'],
      );
      return rows[0];
    },

    /**
     * The forecast for a city. `upstreamSeconds` stands in for the weather provider's response
     * time (pg_sleep inside the query), so a slow source is a real slow query and a real timeout.
     */
    async findForecast(city, upstreamSeconds) {
      const { rows } = await pool.query(
        'SELECT city, summary, temperature_c, pg_sleep($2::float8) IS NULL AS waited FROM forecasts WHERE city = $1',
        [city, upstreamSeconds],
      );
      return rows[0];
    },

    /** A round trip to the database, for /health. */
    async ping() {
      await pool.query('SELECT 1');
    },
  };
}

module.exports = { createStore };
