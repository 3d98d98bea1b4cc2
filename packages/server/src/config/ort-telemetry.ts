/**
 * onnxruntime's Linux and macOS packages (1.30) upload usage telemetry unless ORT_DISABLE_TELEMETRY
 * is set before the first session is created: they write a device id under ~/.cache/Microsoft, an
 * offline event store and a debug log in the temp folder, and try to reach the vendor. A
 * self-hosted server must not phone home, so it is off unless the operator sets the variable.
 * Read when a process creates its first session, so setting it here, before then, is enough.
 */
export function keepOrtTelemetryOff(): void {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
}
