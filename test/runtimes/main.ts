// Entry point of the smoke suite outside vitest: runs it, prints the result as one JSON line after
// RESULT_PREFIX (scripts/runtimes.mjs reads that line, so the counts come from the runtime itself),
// leaves it on globalThis for a browser page, and sets a failing exit code where a runtime has one.
import { RESULT_PREFIX, runSmoke, type SmokeResult } from './smoke.ts';

const scope = globalThis as {
  ftpwireSmokeResult?: SmokeResult | { error: string };
  process?: { exitCode?: number };
  Deno?: { exitCode: number };
};

try {
  const result = await runSmoke();
  scope.ftpwireSmokeResult = result;
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
  if (result.failed > 0 || result.passed === 0) {
    if (scope.Deno) scope.Deno.exitCode = 1;
    else if (scope.process) scope.process.exitCode = 1;
  }
} catch (error) {
  // The suite catches every check's failure; reaching this is a broken harness or import.
  scope.ftpwireSmokeResult = { error: String(error) };
  console.error(error);
  if (scope.Deno) scope.Deno.exitCode = 1;
  else if (scope.process) scope.process.exitCode = 1;
}
