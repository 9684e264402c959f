// The GraphQL-over-HTTP audit of graphql-http against a running portal: every MUST (error)
// and SHOULD (warning) must pass. Usage: node audit.mjs http://127.0.0.1:8000/graphql
// Prints one JSON line {ok, warn, error, notice, failures: [...]}; exits 1 on any warn/error.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}
const results = await auditServer({ url });
const counts = { ok: 0, warn: 0, error: 0, notice: 0 };
const failures = [];
for (const result of results) {
  counts[result.status] += 1;
  if (result.status === 'warn' || result.status === 'error') {
    let body = null;
    try {
      body = await result.response.text();
    } catch {
      body = null;
    }
    failures.push({
      status: result.status,
      name: result.name,
      reason: result.reason,
      httpStatus: result.response?.status,
      contentType: result.response?.headers.get('content-type'),
      body: body && body.slice(0, 300),
    });
  }
}
console.log(JSON.stringify({ ...counts, failures }));
process.exit(counts.warn || counts.error ? 1 : 0);
