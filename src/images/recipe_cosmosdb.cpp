// localhost/envctl/cosmosdb-server:1.0.1: a stand-in for the Cosmos DB emulator (not the emulator): the npm package
// @vercel/cosmosdb-server 1.0.1 (the Cosmos DB SQL API, in memory) on Debian 12's Node.js 18 (recipe_node.cpp),
// behind the vNext emulator's interface: the gateway on 8081 (PROTOCOL http, the default, or https) and the health
// server on 8080 answering GET /ready, so cosmosdb-emulator's probe, healthcheck and verify checks apply unchanged.
// The package asks for Node >= 20; on Debian's 18 it creates and queries databases, containers and documents for
// the @azure/cosmos SDK as on 20 (measured).
#include "recipe_defs.hpp"

namespace envctl::images::detail {
namespace {

// Root only fixes /data's ownership (the emulator's DATA_PATH; the stand-in keeps everything in memory), then node
// runs as "cosmosdb", as PID 1: the wrapper closes its servers on SIGTERM.
constexpr const char* kEntrypoint = R"SH(#!/bin/sh
# envctl-cosmosdb-entrypoint: written by envctl (localhost/envctl/cosmosdb-server:1.0.1, a Cosmos DB stand-in).
set -eu
if [ "$(id -u)" = 0 ]; then
    mkdir -p /data
    find /data \! -user cosmosdb -exec chown cosmosdb:cosmosdb '{}' +
    exec setpriv --reuid=cosmosdb --regid=cosmosdb --init-groups --inh-caps=-all "$0" "$@"
fi
export HOME=/data
export NODE_OPTIONS="--require=/usr/local/lib/envctl/node-close-idle.js${NODE_OPTIONS:+ $NODE_OPTIONS}"
exec "$@"
)SH";

// The emulator's interface around the package: it has no health endpoint, so /ready on 8080 answers 200 once the
// gateway listens (as the vNext emulator's does once it can serve requests) and 503 before; any other path is 404.
constexpr const char* kWrapper = R"JS('use strict';
// Written by envctl: @vercel/cosmosdb-server behind the Cosmos DB vNext emulator's ports (a stand-in, not the emulator).
const http = require('http');
const server = require('/usr/local/lib/node_modules/@vercel/cosmosdb-server');

const protocol = (process.env.PROTOCOL || 'http').toLowerCase();
if (protocol !== 'http' && protocol !== 'https') {
  console.error(`PROTOCOL=${process.env.PROTOCOL}: the stand-in serves http or https`);
  process.exit(2);
}
let ready = false;
const gateway = (protocol === 'https' ? server.createHttpsServer : server.createHttpServer)();
const health = http.createServer((req, res) => {
  const path = (req.url || '').split('?')[0];
  const status = path !== '/ready' ? 404 : ready ? 200 : 503;
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ status: status === 200 ? 'ready' : status === 503 ? 'starting' : 'not found' }));
});
// A query scoped by the partition key header is refused by the package ("missing partition keys") unless its SQL
// names the key; the service runs it. The stand-in runs it across partitions (same answer for a query by id).
gateway.prependListener('request', (req) => {
  if (req.headers['x-ms-documentdb-isquery'] && req.headers['x-ms-documentdb-partitionkey'])
    req.headers['x-ms-documentdb-query-enablecrosspartition'] = 'True';
});
for (const s of [gateway, health]) s.on('error', (e) => { console.error(e.message); process.exit(1); });
health.listen(8080, '0.0.0.0');
gateway.listen(8081, '0.0.0.0', () => {
  ready = true;
  console.log(`cosmosdb-server stand-in: ${protocol} gateway on 8081, GET /ready on 8080 (in memory)`);
});
const stop = () => {
  ready = false;
  let open = 2;
  for (const s of [gateway, health]) s.close(() => { if (--open === 0) process.exit(0); });
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
)JS";

}  // namespace

Recipe cosmosdb_recipe() {
    Recipe r = node_service_recipe({.name = "cosmosdb-server",
                                    .image = "localhost/envctl/cosmosdb-server:1.0.1",
                                    .summary = "a stand-in for the Cosmos DB emulator: @vercel/cosmosdb-server 1.0.1 "
                                               "(npm) on Debian's Node.js 18 for cosmosdb-emulator",
                                    // curl: the descriptor's healthcheck, as in the vNext emulator's image
                                    .extra_packages = {"curl"},
                                    .entrypoint = "envctl-cosmosdb-entrypoint",
                                    .script = kEntrypoint,
                                    .npm_package = "@vercel/cosmosdb-server@1.0.1",
                                    .user = "cosmosdb"});
    r.stand_in_for = "the Cosmos DB emulator";
    r.files.push_back({"/usr/local/lib/envctl/cosmosdb-stand-in.js", kWrapper, 0644});
    r.changes.insert(r.changes.end(), {
        R"(CMD ["node", "/usr/local/lib/envctl/cosmosdb-stand-in.js"])",
        "ENV PROTOCOL=http",
        "STOPSIGNAL SIGTERM",
        "EXPOSE 8080",
        "EXPOSE 8081",
        "WORKDIR /data",
    });
    return r;
}

}  // namespace envctl::images::detail
