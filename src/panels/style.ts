/** Plot settings every panel shares: follow the page's colours and font (light or dark). */
export const plotStyle = {
  style: { background: "transparent", color: "inherit", fontSize: "12px", fontFamily: "inherit" },
} as const;

const numbers = new Intl.NumberFormat("en-US");

export function formatCount(n: number, noun: string): string {
  return `${numbers.format(n)} ${noun}${n === 1 ? "" : "s"}`;
}

export function formatNumber(n: number): string {
  return numbers.format(n);
}
