export { default, metadata } from "@/features/help-centre/pages/article-editor-page";
