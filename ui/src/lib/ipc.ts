// The one place the UI turns generated command results into values or thrown errors.
import type { ApiError, ErrorCode } from "../bindings";

export type Result<T> = { status: "ok"; data: T } | { status: "error"; error: ApiError };

/** An error from the core, with the code the UI branches on. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  constructor(error: ApiError) {
    super(error.message);
    this.name = "IpcError";
    this.code = error.code;
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.status === "error") throw new IpcError(result.error);
  return result.data;
}

/** A message a person can read, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return "Something went wrong, and the error carried no message.";
}
