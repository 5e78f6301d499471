/** The console is served by Kontor itself under this path (no second server). */
export const consolePath = '/console';

/**
 * The console's Content-Security-Policy, stricter than the API's default: scripts and styles
 * only from Kontor's own files (no inline script or style, no eval), requests only to Kontor,
 * no frames, no plugins, forms post nowhere but here.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
