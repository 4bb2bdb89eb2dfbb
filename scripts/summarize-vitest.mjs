// Reads vitest's JSON report and prints exactly one line "N passed, N failed[, N skipped]".
// Exit 1 when any test failed, a test file failed to load, or the report is missing/empty.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (e) {
  // The error goes first: the summary must stay the very last line of the run.
  console.error(`cannot read vitest report ${path}: ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const passed = report.numPassedTests ?? 0;
// A file that fails to import has no tests but a failed suite: count it as one failure so it shows.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);

let line = `${passed} passed, ${failed} failed`;
if (skipped > 0) line += `, ${skipped} skipped`;
console.log(line);
process.exit(failed > 0 || passed + failed === 0 ? 1 : 0);
