// node scripts/junit/summary.js FILE: reads a JUnit XML file with test-results-parser (the parser testbeats uses to
// publish JUnit, TestNG and xUnit results; installed by `scripts/setup --tests` under scripts/junit/node_modules) and
// prints what that consumer understood as one JSON line: totals, and per suite its cases' names, statuses and
// failure messages. Exit 1 if the consumer cannot read the file.
const path = require("path");
const { parse } = require(path.join(__dirname, "node_modules", "test-results-parser"));

try {
  const r = parse({ type: "junit", files: [path.resolve(process.argv[2])] });
  console.log(JSON.stringify({
    total: r.total, passed: r.passed, failed: r.failed, errors: r.errors, skipped: r.skipped,
    suites: r.suites.map((s) => ({
      name: s.name, total: s.total, passed: s.passed, failed: s.failed, skipped: s.skipped,
      cases: s.cases.map((c) => ({ name: c.name, status: c.status, failure: c.failure })),
    })),
  }));
} catch (e) {
  console.error(`summary.js: ${e.message}`);
  process.exit(1);
}
