-- Staff actions the owner is told of are never superseded (each stays refusable): the one-pending-
-- per-kind rule covers only the changes a customer asks for.
DROP INDEX "PendingChange_one_pending_per_kind";
CREATE UNIQUE INDEX "PendingChange_one_pending_per_kind" ON "PendingChange"("userId", "kind")
  WHERE "status" = 'pending' AND "kind" IN ('email', 'phone', 'two_factor_off', 'postal_address');
