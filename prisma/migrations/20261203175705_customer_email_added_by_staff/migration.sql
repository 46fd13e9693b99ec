-- AlterTable
ALTER TABLE "CustomerEmail" ADD COLUMN     "addedByStaffAt" TIMESTAMP(3);
