/**
 * Caps how many event streams one person holds open on this instance: each is a socket and a
 * subscriber for as long as it lasts, so a script opening thousands must be refused, not served.
 */
export { KeyedLimiter as StreamLimiter } from "@/platform/concurrency/key-limiter";
