/**
 * @kuykan/conformance — a property-based conformance suite for Kuykan
 * protocol v1 servers. Most users run the `kuykan-conformance` CLI.
 *
 * @module
 */

export type { CliIo } from './main.js';
// command line
export { runCli, USAGE } from './main.js';
export type { ReplaySpec } from './replay.js';
// replay tokens
export { decodeReplay, encodeReplay } from './replay.js';
// reports
export { renderJson, renderJunit, renderTable, summarize } from './report.js';
export type { Level, Requirement } from './requirements.js';
// requirements
export { extractRequirements, isMandatory, loadRequirements } from './requirements.js';
export type { CaseResult, RequirementResult, RunOptions, RunReport, Status, TestCase } from './runner.js';
// runner and tests
export { runSuite } from './runner.js';
export { ALL_TESTS, UNCOVERED_REASONS } from './suites/index.js';
