// Runs calls of the original platform's client (@supabase/supabase-js, from npm) against a Tributary
// node and prints one JSON line per call: {call, data, error: {name, status, body}}.
// Usage: TRIBUTARY_URL=http://127.0.0.1:PORT TRIBUTARY_KEY=... node client.mjs '<json array of calls>'
// A call is {"invoke": "<function>", "body": {...}, "headers": {...}} or {"rpc": "<function>", "args": {...}}.
import { createClient } from '@supabase/supabase-js';
import ws from 'ws'; // Node.js < 22 has no WebSocket of its own; the client's realtime part asks for one

const url = process.env.TRIBUTARY_URL;
const key = process.env.TRIBUTARY_KEY;
if (!url || !key) {
  console.error('set TRIBUTARY_URL and TRIBUTARY_KEY');
  process.exit(2);
}
const supabase = createClient(url, key, {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: ws },
});

async function errorOf(error) {
  if (!error) return null;
  const out = { name: error.name, message: error.message };
  const response = error.context; // functions-js: the Response of a non-2xx answer
  if (response && typeof response.text === 'function') {
    out.status = response.status;
    out.body = await response.text();
  }
  if (error.code !== undefined) out.code = error.code; // postgrest-js
  return out;
}

for (const call of JSON.parse(process.argv[2] ?? '[]')) {
  let result;
  if (call.invoke) {
    const options = {};
    if (call.body !== undefined) options.body = call.body;
    if (call.headers !== undefined) options.headers = call.headers; // e.g. X-Scheduler-Secret
    result = await supabase.functions.invoke(call.invoke, options);
  } else if (call.rpc) {
    result = await supabase.rpc(call.rpc, call.args ?? {});
  } else {
    throw new Error('unknown call ' + JSON.stringify(call));
  }
  console.log(JSON.stringify({ call, data: result.data ?? null, error: await errorOf(result.error) }));
}
