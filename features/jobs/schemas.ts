import { z } from "zod";

export const cancelJobSchema = z.object({ jobId: z.uuid("Not a job id.") });
