-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- A customer's version moves on with every UPDATE that changes the row, whoever makes it (Prisma,
-- raw SQL, a merge, an import): the REST API's ETag, checked by If-Match on PATCH /customers/{id}.
-- Rewriting the same values, or Prisma's updatedAt stamp alone, is no change. Written by hand:
-- Prisma cannot express triggers.
CREATE FUNCTION "customer_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'updatedAt' - 'version') IS DISTINCT FROM (to_jsonb(OLD) - 'updatedAt' - 'version') THEN
    NEW."version" := OLD."version" + 1;
  ELSE
    NEW."version" := OLD."version";
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Customer_version" BEFORE UPDATE ON "Customer"
  FOR EACH ROW EXECUTE FUNCTION "customer_bump_version"();
