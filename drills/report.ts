/** One JSON line per drill on stdout: what it sent and saw, for the run's log and the report. */
export function reportDrill(drill: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ drill, ...figures })}\n`);
}

/** Failed lines of captured pino output: level error and above, or from `minLevel` (40: warnings too). */
export function errorLines(lines: readonly string[], minLevel = 50): string[] {
  return lines.filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= minLevel;
    } catch {
      return false;
    }
  });
}
