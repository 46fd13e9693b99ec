import "server-only";
import { registerJobHandler } from "@/platform/jobs/runner";
import { COMMIT_JOB, runCommit } from "./commit";
import { DRY_RUN_JOB, runDryRun } from "./dry-run";

/** The import's two background jobs (features/background-jobs.ts registers them at start-up). */
export function registerCustomerImportJobs(): void {
  registerJobHandler(DRY_RUN_JOB, runDryRun);
  registerJobHandler(COMMIT_JOB, runCommit);
}
