-- Customer.company (free text) becomes the structured organisation link (issue 11, item 2).
-- One Organisation per distinct trimmed, non-blank company, compared case-insensitively (normalizedName
-- = lower(trim(name)), as features/organisations/names.ts normalises); its name is the spelling most
-- customers used (then the alphabetically first). Customers already linked to an organisation keep it.
WITH spelled AS (
  SELECT btrim("company", E' \t\n\r\f\v\u00a0\u2028\u2029\ufeff') AS "name"
    FROM "Customer"
   WHERE "company" IS NOT NULL AND btrim("company", E' \t\n\r\f\v\u00a0\u2028\u2029\ufeff') <> ''
), ranked AS (
  SELECT "name", lower("name") AS "normalizedName",
         row_number() OVER (PARTITION BY lower("name") ORDER BY count(*) DESC, "name") AS "rank"
    FROM spelled
   GROUP BY "name"
)
INSERT INTO "Organisation" ("id", "name", "normalizedName", "createdAt", "updatedAt")
SELECT gen_random_uuid(), "name", "normalizedName", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
  FROM ranked
 WHERE "rank" = 1
ON CONFLICT ("normalizedName") DO NOTHING;

UPDATE "Customer" c
   SET "organisationId" = o."id"
  FROM "Organisation" o
 WHERE c."organisationId" IS NULL
   AND c."company" IS NOT NULL
   AND o."normalizedName" = lower(btrim(c."company", E' \t\n\r\f\v\u00a0\u2028\u2029\ufeff'));

-- DropIndex
DROP INDEX "Customer_company_idx";

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "company";
