// Sums the vitest JSON reports every project writes under CI (test-results/vitest.json) and prints the
// closing line CI reads: "N passed, N failed". Exits non-zero when a test failed or no project reported.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps'];
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const project of readdirSync(root)) {
    const file = join(root, project, 'test-results', 'vitest.json');
    if (!existsSync(file)) {
      if (existsSync(join(root, project, 'vitest.config.ts'))) console.log(`${root}/${project}: no test report (its tests did not run)`);
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8'));
    reports += 1;
    // Suites that failed to load count as failures even though they hold no test.
    const brokenFiles = report.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
    passed += report.numPassedTests;
    failed += report.numFailedTests + brokenFiles;
    skipped += report.numPendingTests + report.numTodoTests;
    console.log(`${root}/${project}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed, ${report.numPendingTests} skipped`);
  }
}
if (reports === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
