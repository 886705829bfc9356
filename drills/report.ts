/** One JSON line per drill on stdout: what it sent and saw, for the run's log and the report. */
export function reportDrill(drill: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ drill, ...figures })}\n`);
}

/** Failed lines of captured pino output (level error and above). */
export function errorLines(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 50;
    } catch {
      return false;
    }
  });
}
