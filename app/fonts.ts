import localFont from "next/font/local";

// Self-hosted (the build machine is offline; next/font/google would fetch).
export const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
  weight: "100 900",
});
