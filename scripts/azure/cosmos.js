// The official Azure Cosmos DB SDK (@azure/cosmos, under scripts/azure/node_modules: scripts/setup --tests) against
// cosmosdb-emulator (the emulator or envctl's stand-in), for the tests that show it reads what envctl's cosmos step
// wrote. The endpoint and the key come from the environment (COSMOS_URL=http://127.0.0.1:PORT, COSMOSDB_KEY), never
// from argv. Containers are partitioned on /pk, as envctl's step makes them.
//   node cosmos.js list PREFIX            the databases whose ids start with PREFIX, one a line
//   node cosmos.js read DB COLL ID PK     the document as JSON (one line)
//   node cosmos.js query DB COLL ID       the documents a SQL query by id returns, as a JSON array (one line)
//   node cosmos.js write DB COLL          upserts the document given as JSON in DOCUMENT_JSON
// The SDK's core packages use the global Web Crypto, which Node.js 18 (Debian 12's) has only as require('crypto').webcrypto.
if (!globalThis.crypto) globalThis.crypto = require('crypto').webcrypto;
const { CosmosClient } = require('@azure/cosmos');

// Endpoint discovery off: the emulator (and the stand-in) advertise https://localhost:8081 as their region's
// endpoint, which is not where the test reaches them.
const client = new CosmosClient({ endpoint: process.env.COSMOS_URL, key: process.env.COSMOSDB_KEY,
  connectionPolicy: { enableEndpointDiscovery: false, retryOptions: { maxRetryAttemptCount: 0 } } });
const [command, a, b, c, d] = process.argv.slice(2);

(async () => {
  if (command === 'list') {
    const { resources } = await client.databases.readAll().fetchAll();
    for (const db of resources) if (db.id.startsWith(a)) console.log(db.id);
  } else if (command === 'read') {
    const { resource, statusCode } = await client.database(a).container(b).item(c, d).read();
    if (!resource) throw new Error(`read ${a}/${b}/${c}: HTTP ${statusCode}`);
    console.log(JSON.stringify(resource));
  } else if (command === 'query') {
    const { resources } = await client.database(a).container(b).items
      .query({ query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: c }] }).fetchAll();
    console.log(JSON.stringify(resources));
  } else if (command === 'write') {
    await client.database(a).container(b).items.upsert(JSON.parse(process.env.DOCUMENT_JSON));
  } else {
    throw new Error('usage: cosmos.js list PREFIX | read DB COLL ID PK | query DB COLL ID | write DB COLL');
  }
})().catch((e) => {
  console.error(`${e.code || ''} ${e.message}`);
  process.exit(1);
});
