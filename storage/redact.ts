/**
 * Hides the password of a connection URL — in its authority or a `password=` parameter — before it
 * is printed. Used wherever a service's location is described: catalog, Redis, configuration.
 */
export function redact(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}
