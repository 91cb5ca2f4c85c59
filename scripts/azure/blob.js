// The official Azure Storage SDK (@azure/storage-blob, under scripts/azure/node_modules: scripts/setup --tests)
// against Azurite, for the tests that show it reads what envctl's azure_blob step wrote. The endpoint and the
// account key come from the environment (AZURITE_URL=http://127.0.0.1:PORT/devstoreaccount1, AZURITE_ACCOUNT_KEY),
// never from argv.
//   node blob.js list PREFIX             the containers whose names start with PREFIX, one a line
//   node blob.js read CONTAINER BLOB     the blob's bytes in Base64
//   node blob.js write CONTAINER BLOB    uploads the bytes given in Base64 in BLOB_BASE64
// The SDK's core packages use the global Web Crypto, which Node.js 18 (Debian 12's) has only as require('crypto').webcrypto.
if (!globalThis.crypto) globalThis.crypto = require('crypto').webcrypto;
const { BlobServiceClient, StorageSharedKeyCredential } = require('@azure/storage-blob');

const url = process.env.AZURITE_URL;
const account = new URL(url).pathname.split('/')[1];
const client = new BlobServiceClient(url, new StorageSharedKeyCredential(account, process.env.AZURITE_ACCOUNT_KEY),
  { retryOptions: { maxTries: 1 } });
const [command, a, b] = process.argv.slice(2);

(async () => {
  if (command === 'list') {
    for await (const c of client.listContainers({ prefix: a })) console.log(c.name);
  } else if (command === 'read') {
    const bytes = await client.getContainerClient(a).getBlobClient(b).downloadToBuffer();
    console.log(bytes.toString('base64'));
  } else if (command === 'write') {
    const bytes = Buffer.from(process.env.BLOB_BASE64, 'base64');
    await client.getContainerClient(a).getBlockBlobClient(b).uploadData(bytes);
  } else {
    throw new Error('usage: blob.js list PREFIX | read CONTAINER BLOB | write CONTAINER BLOB');
  }
})().catch((e) => {
  console.error(`${e.statusCode || ''} ${e.code || ''} ${e.message}`);
  process.exit(1);
});
