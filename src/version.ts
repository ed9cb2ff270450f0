/** The tool version recorded in results and baselines; a test keeps it equal to package.json. */
export const TOOL_VERSION = '0.1.0';
export const TOOL_NAME = 'llm-perf-gate';
