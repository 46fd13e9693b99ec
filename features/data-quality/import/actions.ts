"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { discardImport, startCommit, startDryRun, undoImport } from "./imports";
import { importIdSchema, importMappingSchema } from "./schemas";

/** The import's server actions: supervisors only (the guard), inputs parsed by ./schemas.ts. */

export const startDryRunAction = authorizedAction("supervisor", importMappingSchema, (input, actor) => startDryRun(actor, input));

export const commitImportAction = authorizedAction("supervisor", importIdSchema, async (input, actor) => startCommit(actor, input, await requestIp()));

export const discardImportAction = authorizedAction("supervisor", importIdSchema, async (input, actor) => discardImport(actor, input, await requestIp()));

export const undoImportAction = authorizedAction("supervisor", importIdSchema, async (input, actor) => undoImport(actor, input, await requestIp()));
