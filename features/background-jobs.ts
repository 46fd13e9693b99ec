import "server-only";
import { startNightlyValidation } from "@/features/data-quality/validation/nightly";
import { registerContactValidationJobs } from "@/features/data-quality/validation/run";
import { startJobRunner } from "@/platform/jobs/runner";
import { registerCustomerImportJobs } from "@/features/data-quality/import/jobs";
import { registerCampaignJobs } from "@/features/data-quality/campaigns/campaigns";

/**
 * Every feature's background job handlers, registered in one place so that a newcomer sees every
 * kind of job Veridesk runs. Called at server start-up (instrumentation.ts) and by tests and
 * scripts that run jobs themselves; registering twice is harmless.
 */
export function registerBackgroundJobHandlers(): void {
  registerCustomerImportJobs();
  registerCampaignJobs();
  registerContactValidationJobs();
}

/** Registers the handlers and starts this instance's runner. */
export function startBackgroundJobs(): void {
  registerBackgroundJobHandlers();
  startJobRunner();
  startNightlyValidation();
}
