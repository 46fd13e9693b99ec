-- AlterEnum
ALTER TYPE "ChallengePurpose" ADD VALUE 'two_factor_setup';
