-- AlterEnum
ALTER TYPE "ChallengePurpose" ADD VALUE 'contact_verification';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "mergedIntoId" UUID,
ADD COLUMN     "organisationId" UUID;

-- AlterTable
ALTER TABLE "CustomerPhone" ADD COLUMN     "deliverability" "Deliverability" NOT NULL DEFAULT 'unknown',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "SupportAgreement" ADD COLUMN     "organisationId" UUID,
ALTER COLUMN "customerId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "Organisation" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "normalizedName" TEXT NOT NULL,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrganisationDomain" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganisationDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerMerge" (
    "id" UUID NOT NULL,
    "survivorId" UUID NOT NULL,
    "absorbedId" UUID NOT NULL,
    "snapshot" JSONB NOT NULL,
    "reason" TEXT,
    "overrode" BOOLEAN NOT NULL DEFAULT false,
    "performedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoableUntil" TIMESTAMP(3) NOT NULL,
    "undoneAt" TIMESTAMP(3),
    "undoneById" UUID,

    CONSTRAINT "CustomerMerge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_normalizedName_key" ON "Organisation"("normalizedName");

-- CreateIndex
CREATE UNIQUE INDEX "OrganisationDomain_domain_key" ON "OrganisationDomain"("domain");

-- CreateIndex
CREATE INDEX "OrganisationDomain_organisationId_idx" ON "OrganisationDomain"("organisationId");

-- CreateIndex
CREATE INDEX "CustomerMerge_survivorId_createdAt_idx" ON "CustomerMerge"("survivorId", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerMerge_absorbedId_createdAt_idx" ON "CustomerMerge"("absorbedId", "createdAt");

-- CreateIndex
CREATE INDEX "Customer_organisationId_idx" ON "Customer"("organisationId");

-- CreateIndex
CREATE INDEX "Customer_mergedIntoId_idx" ON "Customer"("mergedIntoId");

-- CreateIndex
CREATE INDEX "Customer_createdAt_idx" ON "Customer"("createdAt");

-- CreateIndex
CREATE INDEX "SupportAgreement_organisationId_endsOn_idx" ON "SupportAgreement"("organisationId", "endsOn");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganisationDomain" ADD CONSTRAINT "OrganisationDomain_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerMerge" ADD CONSTRAINT "CustomerMerge_survivorId_fkey" FOREIGN KEY ("survivorId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerMerge" ADD CONSTRAINT "CustomerMerge_absorbedId_fkey" FOREIGN KEY ("absorbedId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupportAgreement" ADD CONSTRAINT "SupportAgreement_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An agreement belongs to exactly one customer or one organisation. A trigger, not a CHECK
-- constraint: Prisma 6.19's WASM schema engine crashes ("RuntimeError: unreachable") when
-- `migrate diff` reads a CHECK back from the shadow database, which would stop every new migration.
CREATE FUNCTION "SupportAgreement_one_holder"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."customerId" IS NULL) = (NEW."organisationId" IS NULL) THEN
    RAISE EXCEPTION 'A support agreement belongs to exactly one customer or one organisation'
      USING ERRCODE = '23514', CONSTRAINT = 'SupportAgreement_one_holder';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "SupportAgreement_one_holder" BEFORE INSERT OR UPDATE OF "customerId", "organisationId" ON "SupportAgreement"
  FOR EACH ROW EXECUTE FUNCTION "SupportAgreement_one_holder"();
