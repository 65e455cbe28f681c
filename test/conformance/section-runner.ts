// Runs the sections of one test file: skip checks, then for each section setup → clear stash →
// steps → teardown (always) → cluster wipe, turning the first failing step into the section's
// result. Step kinds are dispatched here; their logic lives in do-step.ts and assertions.ts.
import type { ApiSpecs } from './api-spec.ts';
import type { ApiResponse } from './api-response.ts';
import { evaluateResponse } from './api-response.ts';
import { isAssertion, runAssertion } from './assertions.ts';
import { wipeCluster } from './cluster-wipe.ts';
import { runDo } from './do-step.ts';
import type { HttpClient } from './http-client.ts';
import { PathError } from './object-path.ts';
import { skipReason, type Version } from './skip.ts';
import { Stash, StashError } from './stash.ts';
import { StepFailure, type FailureDetails } from './step-failure.ts';
import { isMap, javaToString } from './values.ts';
import type { Step, TestFile } from './yaml-loader.ts';

/** Outcome of one section. */
export type SectionStatus = 'pass' | 'fail' | 'skip';

/** One section's result, as printed and written by `--json`. */
export interface SectionResult {
  /** Path under tests/, e.g. `cat.count/10_basic.yml`. */
  file: string;
  /** Folder under tests/, e.g. `cat.count`. */
  area: string;
  section: string;
  status: SectionStatus;
  /** Why it failed or was skipped; empty when it passed. */
  reason: string;
  /** Request, response, expected and actual values of the failing step. */
  details?: FailureDetails;
  durationMs: number;
}

/** Everything the section runner needs from the outside. */
export interface SectionRunnerContext {
  specs: ApiSpecs;
  client: HttpClient;
  serverVersion: Version;
  /** Returns false for sections excluded by `--filter` (given "file :: title"). */
  include: (key: string) => boolean;
  /** Receives the problems of a cluster wipe that did not fully succeed. */
  onWipeProblems: (problems: string[]) => void;
}

/** The key of a section in filters and in known-failures: "file :: title". */
export function sectionKey(file: string, title: string): string {
  return `${file} :: ${title}`;
}

/** Runs every included section of `testFile`; `file` and `area` label the results. */
export async function runTestFile(testFile: TestFile, file: string, area: string, context: SectionRunnerContext): Promise<SectionResult[]> {
  const sections = testFile.sections.filter((s) => context.include(sectionKey(file, s.title)));
  const results: SectionResult[] = [];
  let fileSkip: string | null = null;
  let setup = testFile.setup;
  try {
    if (setup[0]?.kind === 'skip') {
      fileSkip = skipReason(setup[0].args, context.serverVersion);
      setup = setup.slice(1);
    }
  } catch (error) {
    const reason = `setup skip: ${(error as Error).message}`;
    return sections.map((s) => ({ file, area, section: s.title, status: 'fail', reason, durationMs: 0 }));
  }
  for (const section of sections) {
    const started = Date.now();
    const base = { file, area, section: section.title };
    if (fileSkip !== null) {
      results.push({ ...base, status: 'skip', reason: `setup: ${fileSkip}`, durationMs: 0 });
      continue;
    }
    let steps = section.steps;
    if (steps[0]?.kind === 'skip') {
      let reason: string | null;
      try {
        reason = skipReason(steps[0].args, context.serverVersion);
      } catch (error) {
        results.push({ ...base, status: 'fail', reason: `skip: ${(error as Error).message}`, durationMs: 0 });
        continue;
      }
      if (reason !== null) {
        results.push({ ...base, status: 'skip', reason, durationMs: 0 });
        continue;
      }
      steps = steps.slice(1);
    }
    const failure = await runSection(setup, steps, testFile.teardown, context);
    const status = failure ? 'fail' : 'pass';
    results.push({ ...base, status, reason: failure?.reason ?? '', details: failure?.details, durationMs: Date.now() - started });
  }
  return results;
}

interface Failure {
  reason: string;
  details: FailureDetails;
}

/** State shared by the steps of one section. */
interface SectionState {
  stash: Stash;
  response: ApiResponse | undefined;
}

/** Runs one section's setup, steps and teardown, then wipes the cluster; returns the first failure. */
async function runSection(setup: Step[], steps: Step[], teardown: Step[], context: SectionRunnerContext): Promise<Failure | null> {
  const state: SectionState = { stash: new Stash(), response: undefined };
  let failure: Failure | null = null;
  try {
    failure = await runSteps('setup', setup, state, context);
    if (!failure) {
      state.stash.clear();
      state.response = undefined;
      failure = await runSteps('', steps, state, context);
    }
  } finally {
    const teardownFailure = await runSteps('teardown', teardown, state, context);
    failure ??= teardownFailure;
    const problems = await wipeCluster(context.client);
    if (problems.length > 0) context.onWipeProblems(problems);
  }
  return failure;
}

/** Runs steps in order and stops at the first failure, which it returns. */
async function runSteps(phase: string, steps: Step[], state: SectionState, context: SectionRunnerContext): Promise<Failure | null> {
  for (const [index, step] of steps.entries()) {
    try {
      await runStep(step, state, context);
    } catch (error) {
      const where = `${phase ? `${phase} ` : ''}step ${index + 1}`;
      if (error instanceof StepFailure) return { reason: `${where}: ${error.message}`, details: error.details };
      return { reason: `${where} (${step.kind}): runner error: ${(error as Error).message}`, details: {} };
    }
  }
  return null;
}

async function runStep(step: Step, state: SectionState, context: SectionRunnerContext): Promise<void> {
  if (step.kind === 'do') {
    const result = await runDo(step.args, { specs: context.specs, client: context.client, stash: state.stash });
    if (result.response) state.response = result.response;
    return;
  }
  if (isAssertion(step.kind)) {
    try {
      runAssertion(step.kind, step.args, state);
    } catch (error) {
      if (error instanceof StepFailure && state.response) {
        error.details.request ??= `${state.response.method} ${state.response.url}`;
        error.details.response ??= `${state.response.status}\n${state.response.text.slice(0, 1500)}`;
      }
      throw error;
    }
    return;
  }
  switch (step.kind) {
    case 'set':
      return runSet(step.args, state);
    case 'transform_and_set':
      return runTransformAndSet(step.args, state);
    case 'skip':
      throw new StepFailure('skip may only be the first step of a section or of setup');
    default:
      throw new StepFailure(`unknown step kind [${step.kind}]`);
  }
}

/** `set: {response.path: stash_key}` — saves response values in the stash. */
function runSet(args: unknown, state: SectionState): void {
  if (!isMap(args)) throw new StepFailure('set expects a map of {path: stash_key}');
  for (const [path, key] of Object.entries(args)) {
    state.stash.set(String(key), readResponse(path, state));
  }
}

/** `transform_and_set: {key: "#base64EncodeCredentials(id,api_key)"}` — the one upstream transform. */
function runTransformAndSet(args: unknown, state: SectionState): void {
  if (!isMap(args)) throw new StepFailure('transform_and_set expects a map');
  for (const [key, spec] of Object.entries(args)) {
    const match = /^#base64EncodeCredentials\(([^,]+),([^)]+)\)$/.exec(String(spec).trim());
    if (!match) throw new StepFailure(`unsupported transform [${javaToString(spec)}]`);
    const user = javaToString(readResponse(match[1]!.trim(), state));
    const secret = javaToString(readResponse(match[2]!.trim(), state));
    state.stash.set(key, Buffer.from(`${user}:${secret}`, 'utf8').toString('base64'));
  }
}

function readResponse(path: string, state: SectionState): unknown {
  try {
    return evaluateResponse(state.response, path, state.stash);
  } catch (error) {
    if (error instanceof PathError || error instanceof StashError) throw new StepFailure(`path ${path}: ${error.message}`);
    throw error;
  }
}
