-- AlterEnum
ALTER TYPE "ChallengePurpose" ADD VALUE 'staff_change_confirmation';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "PendingChangeKind" ADD VALUE 'identity_override';
ALTER TYPE "PendingChangeKind" ADD VALUE 'customer_merge';
