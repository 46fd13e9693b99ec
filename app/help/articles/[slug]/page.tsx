export { default, generateMetadata } from "@/features/help-centre/pages/help-article-page";
