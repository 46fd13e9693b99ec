export { default, generateMetadata } from "@/features/help-centre/pages/help-home-page";
