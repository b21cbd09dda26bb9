const { relative } = require('node:path');

// Prints the plain closing line CI reads ("N passed, N failed, N skipped") after jest's own summary,
// preceded by the run's wall time and its slowest files, to see where the suite's time goes.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numRuntimeErrorTestSuites: broken } = results;
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    const files = results.testResults
      .map((r) => ({ file: relative(process.cwd(), r.testFilePath), ms: r.perfStats.end - r.perfStats.start }))
      .filter((f) => Number.isFinite(f.ms) && f.ms > 0)
      .sort((a, b) => b.ms - a.ms);
    if (files.length > 1) {
      process.stdout.write(`\nslowest files (of ${files.length}; two workers, so they overlap):\n`);
      for (const f of files.slice(0, 10)) process.stdout.write(`  ${seconds(f.ms).padStart(7)}  ${f.file}\n`);
    }
    process.stdout.write(`\njest run: ${seconds(Date.now() - results.startTime)} of wall time\n`);
    process.stdout.write(`\njest: ${passed} passed, ${failed + broken} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
