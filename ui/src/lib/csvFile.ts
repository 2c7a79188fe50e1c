// A dropped CSV file checked before its bytes cross IPC: an empty or oversized file is refused
// here at once instead of after reading 50 MB. The core checks the size again.

/** The largest CSV file the import accepts (the core's `CsvTooLarge` limit). */
export const CSV_MAX_BYTES = 50 * 1024 * 1024;

export function csvFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > CSV_MAX_BYTES)
    return `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the limit is 50 MB. Split it into smaller files.`;
  return null;
}
