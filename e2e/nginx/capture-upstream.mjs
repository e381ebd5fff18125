// A stand-in upstream for scripts/nginx-test.sh: it records what nginx forwards and answers
// slowly, in two pieces, so that the test can check that
//   - the body reaches the upstream byte for byte as the client sent it (after the njs guard),
//   - the headers that must not leave the portal (Authorization, Cookie) do not,
//   - the answer is streamed (the first piece reaches the client before the second is sent).
//
//   node e2e/nginx/capture-upstream.mjs PORT DIR [PAUSE_MS]
//
// Request N (from 1) is written to DIR/N.body (raw bytes) and DIR/N.json (method, url,
// headers). The answer is JSON sent chunked: a first piece at once, the rest PAUSE_MS later
// (default 1500).
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, dir, pauseArg] = process.argv.slice(2);
if (!port || !dir) {
  console.error('usage: capture-upstream.mjs PORT DIR [PAUSE_MS]');
  process.exit(2);
}
const pause = Number(pauseArg ?? 1500);
let seen = 0;

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    seen += 1;
    const n = seen;
    writeFileSync(join(dir, `${n}.body`), Buffer.concat(chunks));
    writeFileSync(join(dir, `${n}.json`), JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`{"status":"success","request":${n},"first":"${'x'.repeat(64)}",`);
    setTimeout(() => res.end('"second":"after the pause"}\n'), pause);
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`capture-upstream listening on 127.0.0.1:${port}`));
