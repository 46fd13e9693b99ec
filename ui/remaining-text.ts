/** "42 seconds", "3 minutes": how long until another code may be sent (countdowns on resend buttons). */
export function remainingText(seconds: number): string {
  if (seconds >= 90) return `${Math.ceil(seconds / 60)} minutes`;
  return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
}
