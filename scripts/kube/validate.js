// Validates Kubernetes objects (a JSON array on stdin) against the OpenAPI schema of kubernetes-models.
// Exit 1 naming every invalid object. Used by scripts/validate-kube.
const { Deployment, StatefulSet } = require('kubernetes-models/apps/v1');
const { Service, ConfigMap, Secret, PersistentVolumeClaim } = require('kubernetes-models/v1');

const kinds = { Deployment, StatefulSet, Service, ConfigMap, Secret, PersistentVolumeClaim };
const docs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
let bad = 0;
for (const d of docs) {
  const Kind = kinds[d.kind];
  try {
    if (!Kind) throw new Error('kind ' + d.kind + ' has no model here');
    new Kind(d).validate();
  } catch (e) {
    bad++;
    console.log(`${d.kind} ${d.metadata && d.metadata.name}: ${e.message}`);
  }
}
console.log(`${docs.length} objects, ${bad} invalid`);
process.exit(bad ? 1 : 0);
