import type { MetadataRoute } from "next";

/** The web app manifest (/manifest.webmanifest): name, brand colour (--color-brand-600) and icons from public/. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Veridesk",
    short_name: "Veridesk",
    description: "Customer-service helpdesk that shows agents who the requester really is.",
    start_url: "/",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: "#1f5fd1",
    icons: [
      { src: "/icon.svg", type: "image/svg+xml", sizes: "any" },
      { src: "/icons/icon-192.png", type: "image/png", sizes: "192x192" },
      { src: "/icons/icon-512.png", type: "image/png", sizes: "512x512" },
    ],
  };
}
