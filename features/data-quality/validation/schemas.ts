import { z } from "zod";

/** "Validate every contact now": no input; the guard and the service decide. */
export const startValidationSchema = z.object({}).strict();
