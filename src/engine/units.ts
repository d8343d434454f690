/** A byte count as people read it in progress lines and messages: "4.2 MB", "3072 MB". */
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

const numbers = new Intl.NumberFormat("en-US");

/** "12,000". */
export function formatNumber(n: number): string {
  return numbers.format(n);
}

/** "1 row", "12,000 rows". */
export function formatCount(n: number, noun: string): string {
  return `${numbers.format(n)} ${noun}${n === 1 ? "" : "s"}`;
}
